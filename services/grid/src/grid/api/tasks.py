"""HTTP routes of a worker's tasks: the inbox and the steps on a task."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from grid.adapters.store import inbox_filter
from grid.api.deps import GridDep, Staff, Worker
from grid.domain.task import TaskStatus
from grid.handlers import tasks
from grid.schemas.tasks import FeedbackIn, ProgressIn, ReturnIn, TaskPage, TaskRead, task_read

router = APIRouter()


@router.get("/tasks", response_model=TaskPage)
async def inbox(
    grid: GridDep,
    caller: Worker,
    status: Annotated[list[TaskStatus] | None, Query()] = None,
    grid_code: Annotated[str | None, Query(alias="grid", max_length=20)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TaskPage:
    """The caller's tasks with their clocks, newest first, a page at a time (pass
    `next_cursor` back as `cursor`); a grid head also sees every task of their grids."""
    headed = [p.grid for p in grid.roster.posts if p.head == caller.subject]
    where = inbox_filter(worker=caller.subject, headed=headed, status=status, grid=grid_code)
    now = grid.clock()
    page = await grid.stores.tasks_where(where, after=cursor, limit=limit)
    return TaskPage(
        items=[task_read(t, now, viewer=caller.subject) for t in page.items],
        next_cursor=page.next_cursor,
    )


@router.get("/tasks/{task_id}", response_model=TaskRead)
async def get_task(task_id: str, grid: GridDep, caller: Staff) -> TaskRead:
    return task_read(await grid.stores.tasks.get(task_id), grid.clock(), viewer=caller.subject)


@router.post("/tasks/{task_id}/acceptance", response_model=TaskRead)
async def accept(task_id: str, grid: GridDep, caller: Worker) -> TaskRead:
    """签收: only the holder, and only once."""
    task = await tasks.accept_task(grid, task_id=task_id, worker_id=caller.subject)
    return task_read(task, grid.clock(), viewer=caller.subject)


@router.post("/tasks/{task_id}/progress", response_model=TaskRead)
async def progress(task_id: str, body: ProgressIn, grid: GridDep, caller: Worker) -> TaskRead:
    task = await tasks.progress_task(
        grid, task_id=task_id, worker_id=caller.subject, note=body.note
    )
    return task_read(task, grid.clock(), viewer=caller.subject)


@router.post("/tasks/{task_id}/feedback", response_model=TaskRead)
async def feedback(task_id: str, body: FeedbackIn, grid: GridDep, caller: Worker) -> TaskRead:
    """反馈: the result goes back to whoever sent the task."""
    task = await tasks.finish_task(
        grid, task_id=task_id, worker_id=caller.subject, outcome=body.outcome, summary=body.summary
    )
    return task_read(task, grid.clock(), viewer=caller.subject)


@router.post("/tasks/{task_id}/return", response_model=TaskRead)
async def give_back(task_id: str, body: ReturnIn, grid: GridDep, caller: Worker) -> TaskRead:
    """退回: not the grid's matter, or not this place's; only by its holder, before accepting.
    The sender gets it back with the reason and re-routes it."""
    task = await tasks.give_back_task(
        grid,
        task_id=task_id,
        worker_id=caller.subject,
        reason_code=body.reason_code,
        reason=body.reason,
    )
    return task_read(task, grid.clock(), viewer=caller.subject)
