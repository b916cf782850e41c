"""The task clock's timer (时限管理): every few seconds, let time act on every open task.

``tick`` is idempotent for a given moment and saves are versioned, so two replicas ticking at
once change a task once; one that loses the race finds it changed and leaves it."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fengqiao.runtime import Runtime
from fengqiao.storage import ConcurrencyError
from grid.bootstrap import grid_of
from grid.domain.task import OPEN
from grid.handlers import Grid, tick_task

log = logging.getLogger(__name__)


async def tick_open(grid: Grid) -> int:
    """One pass; returns how many tasks were looked at."""
    tasks = await grid.stores.tasks_where({"status": {"$in": [s.value for s in OPEN]}})
    for task in tasks:
        with contextlib.suppress(ConcurrencyError):
            await tick_task(grid, task_id=task.id)
    return len(tasks)


async def run(grid: Grid) -> None:
    while True:
        try:
            await tick_open(grid)
        except Exception:
            log.exception("task clock pass failed; trying again")
        await asyncio.sleep(grid.settings.tick_interval_s)


async def start(runtime: Runtime) -> None:
    runtime.state["ticker"] = asyncio.create_task(run(grid_of(runtime)), name="grid-ticker")


async def stop(runtime: Runtime) -> None:
    task = runtime.state.pop("ticker", None)
    if isinstance(task, asyncio.Task):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
