"""The chaos run: while a few hundred cases go round the loop (hub → gateway → grid → hub), the
platform's processes are killed with SIGKILL one after another — the hub, the grid, the gateway,
two other services drawn at random, and once each the Kafka broker and FerretDB — and started
again. At the end every case is closed, the audit chain verifies, and the stores and the audit
log agree that no event was lost and none applied twice.

The platform runs as separate processes on a broker and a store of its own (`platformkit`). The
draw is seeded; a failure prints the seed and the monkey's log, and CHAOS_SEED replays it."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import time
import uuid
from pathlib import Path

import httpx
import pytest
from fengqiao_tools.bench.access import Staff, base_url

from chaos_cases import CaseDriver
from chaos_ledger import Findings, examine
from chaos_monkey import Monkey, plan
from fengqiao.messaging.dlq import read_dead_letters
from fengqiao.settings import KafkaSettings
from fengqiao.storage import connect
from platformkit import EXTERNAL, fengqiao, platform_env, servers_of

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.integration,  # its own servers, through `fengqiao up`
    pytest.mark.timeout(1800),  # the run bounds itself at TIME_LIMIT_S; this is a backstop
]
CASES = int(os.environ.get("CHAOS_CASES", "300"))  # at least; more while the monkey is busy
AT_ONCE = 16
TIME_LIMIT_S = 900.0


async def play(monkey: Monkey, victims: list[str]) -> tuple[list[str], CaseDriver]:
    """Drive the cases while the monkey does its round; the ids of the closed cases."""
    limits = httpx.Limits(max_connections=AT_ONCE * 2 + 4)
    async with (
        httpx.AsyncClient(base_url=base_url("intake"), timeout=15, limits=limits) as hub,
        httpx.AsyncClient(base_url=base_url("grid"), timeout=15, limits=limits) as grid,
    ):
        driver = CaseDriver(
            hub, grid, Staff(), uuid.uuid4().hex[:8], time.monotonic() + TIME_LIMIT_S
        )
        rampage = asyncio.create_task(monkey.rampage(victims, lambda: driver.progress.closed))
        numbers = itertools.count()

        async def desk() -> list[str]:
            """One of AT_ONCE desks taking case after case: at least CASES in all, and on
            until the monkey is done, so every kill lands while cases are in flight."""
            ids: list[str] = []
            for n in numbers:
                if n >= CASES and rampage.done():
                    return ids
                ids.append(str((await driver.drive(n))["id"]))
            return ids

        try:
            desks = await asyncio.gather(*(desk() for _ in range(AT_ONCE)))
            await rampage  # raises if a restart failed
        finally:
            rampage.cancel()
        closed = [case_id for ids in desks for case_id in ids]
    return closed, driver


def test_killing_any_part_loses_nothing_and_applies_nothing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = platform_env(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in [n for n in os.environ if n.startswith(EXTERNAL)]:
        monkeypatch.delenv(name)
    seed = int(os.environ.get("CHAOS_SEED", random.randrange(1_000_000)))
    monkey = Monkey(env, random.Random(seed))
    victims = plan(monkey.rng)
    started = time.monotonic()
    try:
        up = fengqiao(env, "up", "--timeout", "300", timeout=900)
        assert up.returncode == 0, up.stdout + up.stderr
        closed, driver = asyncio.run(play(monkey, victims))
        monkey.log.append(f"{len(closed)} cases closed in {time.monotonic() - started:.0f} s")
        verified = fengqiao(
            {**env, **servers_of(env)}, "audit", "verify", "--wait", "30", timeout=300
        )
        findings, letters = asyncio.run(after_the_storm(env, set(closed)))
    finally:
        # The monkey's log, shown with -s or on failure: CHAOS_SEED replays the same draw.
        story = "\n  ".join([f"CHAOS_SEED={seed}, victims {victims}", *monkey.log])
        print(story)
        down = fengqiao(env, "down", timeout=300)
    print(findings.figures)

    assert down.returncode == 0, down.stdout + down.stderr
    assert len(set(closed)) == len(closed) >= CASES, story
    assert verified.returncode == 0 and "chain intact" in verified.stdout, verified.stdout
    assert findings.lost == [], story
    assert findings.twice == [], story
    assert findings.left_over == [], story
    assert letters == [], story
    # The hub's transfer and closure notice, the grid's acceptance and feedback, per case.
    assert findings.figures["promised"] == 4 * len(closed), findings.figures
    assert driver.progress.refused == [], story


async def after_the_storm(env: dict[str, str], cases: set[str]) -> tuple[Findings, list[str]]:
    servers = servers_of(env)
    client = connect(servers["MONGODB_URI"])
    try:
        findings = await examine(client, cases, senders=("intake", "grid"))
    finally:
        await client.close()
    letters = [
        f"{letter.reason}: {letter.detail}"
        for letter in await read_dead_letters(KafkaSettings.from_env(servers))
        if letter.key is not None and letter.key.decode() in cases
    ]
    return findings, letters
