"""fengqiao.testing's waiting helpers: `until` and `quiet_for` (pure asyncio, no servers)."""

from __future__ import annotations

import asyncio
import time

import pytest

from fengqiao.testing import quiet_for, until


async def test_until_returns_the_first_truthy_answer_of_a_sync_condition() -> None:
    answers = iter([None, 0, "", "ready"])
    assert await until(lambda: next(answers), "an answer", timeout_s=1, every_s=0.001) == "ready"


async def test_until_awaits_an_async_condition() -> None:
    asked: list[int] = []

    async def probe() -> list[int] | None:
        asked.append(1)
        return asked if len(asked) >= 3 else None

    assert await until(probe, "three asks", timeout_s=1, every_s=0.001) == [1, 1, 1]


async def test_until_does_not_sleep_when_the_condition_already_holds() -> None:
    started = time.monotonic()
    assert await until(lambda: True, "nothing", timeout_s=5, every_s=5) is True
    assert time.monotonic() - started < 1


async def test_until_gives_up_with_what_it_waited_for() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"gave up waiting for the moon after 0\.2 s") as e:
        await until(lambda: [], "the moon", timeout_s=0.2, every_s=0.05)
    assert 0.2 <= time.monotonic() - started < 1
    assert "last: []" in str(e.value)


async def test_until_asks_once_more_at_the_deadline() -> None:
    asked: list[float] = []

    def probe() -> bool:
        asked.append(time.monotonic())
        return False

    with pytest.raises(AssertionError):
        await until(probe, "never", timeout_s=0.1, every_s=10)
    assert len(asked) == 2 and asked[1] - asked[0] >= 0.1


async def test_what_a_condition_raises_is_not_swallowed() -> None:
    def broken() -> bool:
        raise KeyError("probe")

    with pytest.raises(KeyError):
        await until(broken, "a broken probe", timeout_s=1)


async def test_until_refuses_nonsense_bounds() -> None:
    with pytest.raises(ValueError):
        await until(lambda: True, "x", every_s=0)
    with pytest.raises(ValueError):
        await until(lambda: True, "x", timeout_s=-1)


async def test_quiet_for_returns_once_the_count_stops_changing() -> None:
    arrived: list[int] = []

    async def arrive() -> None:
        for n in range(5):
            arrived.append(n)
            await asyncio.sleep(0.02)

    task = asyncio.create_task(arrive())
    started = time.monotonic()
    assert await quiet_for(lambda: len(arrived), "arrivals", quiet_s=0.2, every_s=0.01) == 5
    assert time.monotonic() - started >= 0.2
    await task


async def test_quiet_for_watches_at_least_the_quiet_period() -> None:
    async def count() -> int:
        return 7

    started = time.monotonic()
    assert await quiet_for(count, "nothing", quiet_s=0.15, every_s=0.01) == 7
    assert 0.15 <= time.monotonic() - started < 1


async def test_quiet_for_gives_up_while_things_keep_arriving() -> None:
    ticks = iter(range(1_000_000))
    with pytest.raises(AssertionError, match="gave up waiting for ticks to stop changing after"):
        await quiet_for(lambda: next(ticks), "ticks", quiet_s=0.1, timeout_s=0.3, every_s=0.01)


async def test_quiet_for_refuses_a_quiet_period_longer_than_its_timeout() -> None:
    with pytest.raises(ValueError):
        await quiet_for(lambda: 0, "x", quiet_s=2, timeout_s=1)
