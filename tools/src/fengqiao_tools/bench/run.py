"""A bench run: the platform's idle burn, warm-up cases (copied, if asked, to pre-fill the
store), then N cases round the loop with C at a time with every process's CPU, the hops'
percentiles from the hub's clocks, the cases' exactly-once check, the store cleaned of all the
bench wrote, then the gateway's cost per event on the same broker."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from fengqiao_tools.bench import cpu, exchange_cost, hops, store
from fengqiao_tools.bench.access import Staff, base_url
from fengqiao_tools.bench.loop import CaseRun, Loop, LoopFailed
from fengqiao_tools.bench.machine import machine
from fengqiao_tools.bench.once import applied_once
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.credentials import operator_kafka


@dataclass(frozen=True)
class Plan:
    cases: int = 200
    concurrency: int = 10
    warmup: int = 5
    poll_ms: int = 50
    timeout_s: float = 120.0
    events: int = 10_000  # for the gateway's cost; 0 skips it
    prefill: int = 0  # closed cases copied into the store before the measured round
    idle_s: float = 10.0  # the quiet interval whose CPU is the idle burn; 0 skips it
    clean: bool = True  # remove what the bench wrote to the store when done


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
    cfg = InfraConfig()
    sessions = cpu.platform_sessions(cfg)
    mongo: AsyncMongoClient[store.Doc] = AsyncMongoClient(cfg.mongo_uri)
    try:
        before = await store.snapshot(mongo)
        result = await _measure(plan, sessions, mongo, before)
        if plan.clean:
            result["cleaned_documents"] = await store.clean(mongo, before)
    finally:
        await mongo.close()
    if plan.events:
        result["gateway_cost"] = await exchange_cost.measure(operator_kafka(), plan.events)
    return result


async def _measure(
    plan: Plan,
    sessions: dict[str, int],
    mongo: AsyncMongoClient[store.Doc],
    before: dict[store.Key, set[Any]],
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=plan.concurrency * 2 + 4)
    async with (
        httpx.AsyncClient(base_url=base_url("intake"), timeout=30, limits=limits) as hub,
        httpx.AsyncClient(base_url=base_url("grid"), timeout=30, limits=limits) as grid,
    ):
        for client, name in ((hub, "intake"), (grid, "grid")):
            await _ready(client, name)
        idle = None
        if plan.idle_s:
            quiet = cpu.CpuSample.take(sessions)
            await asyncio.sleep(plan.idle_s)
            idle = cpu.idle_burn(quiet, cpu.CpuSample.take(sessions))
        loop = Loop(hub, grid, Staff(), poll_s=plan.poll_ms / 1000, timeout_s=plan.timeout_s)
        started_at = datetime.now(UTC)
        warm, _, _ = await _loop_round(loop, 0, plan.warmup, plan.concurrency)
        prefilled = await _prefill(plan, mongo, before, len(warm))
        cpu_before = cpu.CpuSample.take(sessions)
        runs, failures, wall = await _loop_round(loop, plan.warmup, plan.cases, plan.concurrency)
        cpu_after = cpu.CpuSample.take(sessions)
    durations = hops.hop_seconds(runs)
    client_loop = [r.finished - r.started for r in runs]
    twice = [problem for run in runs for problem in applied_once(run.case)]
    return {
        "started_at": started_at.isoformat(),
        "plan": plan.__dict__,
        "machine": machine(),
        "prefill": prefilled,
        "idle": idle,
        "loop": {
            "force": "grid",
            "closed": len(runs),
            "failed": len(failures),
            "failures": failures[:20],
            "wall_s": round(wall, 2),
            "cases_per_s": round(len(runs) / wall, 2) if wall else None,
            "client_loop_ms": hops.summary(client_loop),
            "exactly_once_problems": twice[:20],
        },
        "cpu": cpu.per_case(cpu_before, cpu_after, len(runs)),
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


async def _prefill(
    plan: Plan,
    mongo: AsyncMongoClient[store.Doc],
    before: dict[store.Key, set[Any]],
    warm: int,
) -> dict[str, Any] | None:
    """Copies of the warm-up's cases, enough for ``plan.prefill`` closed cases in all."""
    if not plan.prefill:
        return None
    if not warm:
        raise LoopFailed("--prefill copies the warm-up's cases: give --warmup 1 or more")
    began = time.perf_counter()
    sample = await store.written_since(mongo, before)
    written = await store.prefill(mongo, sample, math.ceil(plan.prefill / warm))
    return {
        "cases": math.ceil(plan.prefill / warm) * warm,
        "documents": written,
        "seconds": round(time.perf_counter() - began, 1),
    }
