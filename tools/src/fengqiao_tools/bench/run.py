"""A bench run: warm-up cases, then N cases round the loop with C at a time, the hops'
percentiles from the hub's clocks, then the gateway's cost per event on the same broker."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from fengqiao_tools.bench import exchange_cost, hops
from fengqiao_tools.bench.access import Staff, base_url
from fengqiao_tools.bench.loop import CaseRun, Loop, LoopFailed
from fengqiao_tools.bench.machine import machine
from fengqiao_tools.infra.credentials import operator_kafka


@dataclass(frozen=True)
class Plan:
    cases: int = 200
    concurrency: int = 10
    warmup: int = 5
    poll_ms: int = 50
    timeout_s: float = 120.0
    events: int = 10_000  # for the gateway's cost; 0 skips it


async def _ready(client: httpx.AsyncClient, name: str) -> None:
    try:
        answer = await client.get("/readyz")
    except httpx.HTTPError as error:
        raise LoopFailed(
            f"{name} at {client.base_url} does not answer ({error!r}); "
            "is `fengqiao up` running with the same FENGQIAO_* ports?"
        ) from None
    if answer.status_code != 200:
        raise LoopFailed(f"{name} at {client.base_url} is not ready: {answer.text[:200]}")


async def _loop_round(
    loop: Loop, start: int, n: int, concurrency: int
) -> tuple[list[CaseRun], list[str], float]:
    limit = asyncio.Semaphore(concurrency)
    runs: list[CaseRun] = []
    failures: list[str] = []

    async def one(i: int) -> None:
        async with limit:
            try:
                runs.append(await loop.run(i))
            except (LoopFailed, httpx.HTTPError) as error:
                failures.append(f"case {i}: {error}")

    began = time.perf_counter()
    await asyncio.gather(*(one(start + i) for i in range(n)))
    return runs, failures, time.perf_counter() - began


async def bench(plan: Plan) -> dict[str, Any]:
    """Everything a run measured, ready to print and save as JSON."""
    limits = httpx.Limits(max_connections=plan.concurrency * 2 + 4)
    async with (
        httpx.AsyncClient(base_url=base_url("intake"), timeout=30, limits=limits) as hub,
        httpx.AsyncClient(base_url=base_url("grid"), timeout=30, limits=limits) as grid,
    ):
        for client, name in ((hub, "intake"), (grid, "grid")):
            await _ready(client, name)
        loop = Loop(hub, grid, Staff(), poll_s=plan.poll_ms / 1000, timeout_s=plan.timeout_s)
        started_at = datetime.now(UTC)
        await _loop_round(loop, 0, plan.warmup, plan.concurrency)
        runs, failures, wall = await _loop_round(loop, plan.warmup, plan.cases, plan.concurrency)
    durations = hops.hop_seconds(runs)
    client_loop = [r.finished - r.started for r in runs]
    result: dict[str, Any] = {
        "started_at": started_at.isoformat(),
        "plan": plan.__dict__,
        "machine": machine(),
        "loop": {
            "force": "grid",
            "closed": len(runs),
            "failed": len(failures),
            "failures": failures[:20],
            "wall_s": round(wall, 2),
            "cases_per_s": round(len(runs) / wall, 2) if wall else None,
            "client_loop_ms": hops.summary(client_loop),
        },
        "hops": {
            key: {
                "label": label,
                "means": meaning,
                "n": len(durations[key]),
                **hops.summary(durations[key]),
            }
            for key, label, meaning in (*hops.HOPS, hops.LOOP)
        },
    }
    if plan.events:
        result["gateway_cost"] = await exchange_cost.measure(operator_kafka(), plan.events)
    return result
