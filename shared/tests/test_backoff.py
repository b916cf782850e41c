"""Retry timing (重试退避): full-jitter backoff stays under its growing ceiling, honours the
platform's Retry-After, and is reproducible from its random source."""

from __future__ import annotations

import random

import pytest

from fengqiao.backoff import Backoff


def test_the_ceiling_doubles_up_to_the_cap() -> None:
    backoff = Backoff(base_s=0.5, cap_s=10.0)
    assert [backoff.ceiling(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    assert backoff.ceiling(10_000) == 10.0


def test_every_delay_is_a_draw_between_zero_and_the_ceiling() -> None:
    backoff = Backoff(base_s=0.5, cap_s=10.0)
    rng = random.Random(7)
    for attempt in range(1, 12):
        draws = [backoff.delay(attempt, rng) for _ in range(200)]
        assert all(0.0 <= d <= backoff.ceiling(attempt) for d in draws)
        # Full jitter: the draws spread over the whole range, not clustered at the ceiling.
        assert min(draws) < backoff.ceiling(attempt) * 0.1
        assert max(draws) > backoff.ceiling(attempt) * 0.9


def test_the_same_seed_gives_the_same_schedule() -> None:
    backoff = Backoff()
    assert backoff.schedule(8, random.Random(42)) == backoff.schedule(8, random.Random(42))
    assert backoff.schedule(8, random.Random(42)) != backoff.schedule(8, random.Random(43))


def test_retry_after_is_a_floor() -> None:
    backoff = Backoff(base_s=0.5, cap_s=10.0)
    rng = random.Random(1)
    assert all(backoff.delay(1, rng, retry_after=30.0) == 30.0 for _ in range(50))
    assert all(backoff.delay(5, rng, retry_after=0.0) <= 8.0 for _ in range(50))


@pytest.mark.parametrize(("base", "cap"), [(0.0, 1.0), (-1.0, 1.0), (2.0, 1.0)])
def test_a_nonsense_policy_is_refused(base: float, cap: float) -> None:
    with pytest.raises(ValueError):
        Backoff(base_s=base, cap_s=cap)


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError):
        Backoff().delay(0, random.Random(0))
