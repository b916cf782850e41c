"""A worker's steps on a hub task (签收, 进展, 反馈, 退回) and what the clock alone changes: load
the task, apply one step of the domain, and save it with the event the step must send, in one
commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.registry import EventData
from fengqiao.storage import retry_on_conflict
from grid.bootstrap import Grid
from grid.domain import task_steps
from grid.domain.people import Worker
from grid.domain.task import StoredTask
from grid.domain.task_clock import tick

Step = Callable[[StoredTask, Worker, datetime], EventData | None]


async def change_task(
    grid: Grid, *, task_id: str, worker_id: str, step: Step, attempts: int = 10
) -> StoredTask:
    """Apply a worker's step to the latest state; on a concurrent change, reload and re-judge.
    A refused step raises before anything is saved."""
    worker = grid.roster.worker(worker_id)

    async def attempt() -> StoredTask:
        task = await grid.stores.tasks.get(task_id)
        event = step(task, worker, grid.clock())
        events = (
            [] if event is None else [grid.to(task.sender, event, subject=task.case_id, cause=None)]
        )
        return await grid.stores.tasks.save(task, events)

    return await retry_on_conflict(attempt, what=f"task {task_id}", attempts=attempts)


async def accept_task(grid: Grid, *, task_id: str, worker_id: str) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.accept(t, worker=w, now=now),
    )


async def progress_task(grid: Grid, *, task_id: str, worker_id: str, note: str) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.report_progress(t, worker=w, note=note, now=now),
    )


async def finish_task(
    grid: Grid, *, task_id: str, worker_id: str, outcome: Outcome, summary: str
) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.finish(
            t, worker=w, outcome=outcome, summary=summary, now=now
        ),
    )


async def give_back_task(
    grid: Grid, *, task_id: str, worker_id: str, reason_code: str, reason: str
) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.give_back(
            t, worker=w, reason_code=reason_code, reason=reason, now=now
        ),
    )


async def tick_task(grid: Grid, *, task_id: str) -> StoredTask:
    """What the clock alone changes (escalation, hand-over); nothing is sent to the hub."""
    task = await grid.stores.tasks.get(task_id)
    changed = tick(
        task, territory=grid.territory, roster=grid.roster, now=grid.clock(), calendar=grid.calendar
    )
    if not changed:
        return task
    return await grid.stores.tasks.save(task)
