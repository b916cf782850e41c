"""The task clock's timer (时限管理): every few seconds, let time act on every open task.

``tick`` is idempotent for a given moment and saves are versioned, so two replicas ticking at
once change a task once; one that loses the race finds it changed and leaves it."""

from __future__ import annotations

import contextlib

from fengqiao.messaging.lifecycle import every
from fengqiao.runtime import Runtime
from fengqiao.storage import ConcurrencyError
from grid.bootstrap import Grid, grid_of
from grid.handlers.tasks import tick_task


async def tick_open(grid: Grid) -> int:
    """One pass; returns how many tasks were looked at."""
    task_ids = await grid.stores.tasks.due(grid.clock())
    for task_id in task_ids:
        with contextlib.suppress(ConcurrencyError):
            await tick_task(grid, task_id=task_id)
    return len(task_ids)


async def start(runtime: Runtime) -> None:
    grid = grid_of(runtime)
    interval = grid.settings.tick_interval_s
    runtime.background(every("task clock pass", interval, lambda: tick_open(grid)), name="ticker")
