"""HTTP routes of the grid service: translate requests to handler calls, nothing more."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from fengqiao.security import Caller
from fengqiao.storage import NotFound
from fengqiao.web.auth import require_role
from grid import handlers
from grid.bootstrap import grid_of
from grid.domain import scores
from grid.domain.patrol import Disposal
from grid.domain.task import TaskStatus
from grid.handlers import Grid
from grid.schemas import (
    FeedbackIn,
    GridAt,
    ProgressIn,
    ReportIn,
    ReportRead,
    ReturnIn,
    Scores,
    TaskPage,
    TaskRead,
    WorkerPoints,
    task_read,
)

router = APIRouter(prefix="/api/v1", tags=["grid"])
WORKERS = ("grid_worker", "grid_head")
STAFF = (*WORKERS, "analyst")


def grid(request: Request) -> Grid:
    return grid_of(request.app.state.runtime)


GridDep = Annotated[Grid, Depends(grid)]
Worker = Annotated[Caller, Depends(require_role(*WORKERS))]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]


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
    mine: dict[str, Any] = {"$or": [{"assignee": caller.subject}, {"grid": {"$in": headed}}]}
    where: list[dict[str, Any]] = [mine]
    if status:
        where.append({"status": {"$in": [s.value for s in status]}})
    if grid_code is not None:
        where.append({"grid": grid_code})
    now = grid.clock()
    page = await grid.stores.tasks_where({"$and": where}, after=cursor, limit=limit)
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
    task = await handlers.accept_task(grid, task_id=task_id, worker_id=caller.subject)
    return task_read(task, grid.clock(), viewer=caller.subject)


@router.post("/tasks/{task_id}/progress", response_model=TaskRead)
async def progress(task_id: str, body: ProgressIn, grid: GridDep, caller: Worker) -> TaskRead:
    task = await handlers.progress_task(
        grid, task_id=task_id, worker_id=caller.subject, note=body.note
    )
    return task_read(task, grid.clock(), viewer=caller.subject)


@router.post("/tasks/{task_id}/feedback", response_model=TaskRead)
async def feedback(task_id: str, body: FeedbackIn, grid: GridDep, caller: Worker) -> TaskRead:
    """反馈: the result goes back to whoever sent the task."""
    task = await handlers.finish_task(
        grid, task_id=task_id, worker_id=caller.subject, outcome=body.outcome, summary=body.summary
    )
    return task_read(task, grid.clock(), viewer=caller.subject)


@router.post("/tasks/{task_id}/return", response_model=TaskRead)
async def give_back(task_id: str, body: ReturnIn, grid: GridDep, caller: Worker) -> TaskRead:
    """退回: not the grid's matter, or not this place's; only by its holder, before accepting.
    The sender gets it back with the reason and re-routes it."""
    task = await handlers.give_back_task(
        grid,
        task_id=task_id,
        worker_id=caller.subject,
        reason_code=body.reason_code,
        reason=body.reason,
    )
    return task_read(task, grid.clock(), viewer=caller.subject)


@router.get("/grids/at", response_model=GridAt)
async def grid_at(
    grid: GridDep,
    caller: Staff,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
) -> GridAt:
    """网格定位: the grid holding the point, its units above and who answers for it."""
    found = grid.territory.grid_at(lon, lat)
    if found is None:
        raise NotFound(f"no grid of the territory holds ({lon}, {lat})")
    post = grid.roster.post(found.code)
    chain = [
        {"code": u.code, "name": u.name, "level": u.level.value}
        for u in grid.territory.chain(found.code)
    ]
    return GridAt(
        grid=found.code,
        name=found.name,
        chain=chain,
        worker=post.worker,
        head=post.head,
        partner=post.partner,
    )


@router.post("/reports", status_code=201, response_model=ReportRead)
async def report(body: ReportIn, grid: GridDep, caller: Worker) -> ReportRead:
    """事件上报: resolved on the spot or escalated; the hub hears of it either way."""
    escalate = body.disposal is Disposal.TO_HUB
    filed = await handlers.report_patrol(
        grid,
        worker_id=caller.subject,
        category=body.category,
        description=body.description,
        location=body.location,
        photos=body.photos,
        urgent=body.urgent,
        escalate=escalate,
        text=body.reason if escalate else body.result,
        outcome=body.outcome,
    )
    return ReportRead.model_validate(filed.model_dump())


@router.get("/scores", response_model=Scores)
async def get_scores(
    grid: GridDep,
    caller: Staff,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
) -> Scores:
    """积分 per worker and 星级 per grid for a month (Asia/Shanghai), default this one."""
    now = grid.clock()
    month = month or scores.month_of(now)
    facts = [f for r in await grid.stores.all_reports() for f in scores.facts_of_report(r)]
    facts += [f for t in await grid.stores.all_tasks() for f in scores.facts_of_task(t, now)]
    in_month = [f for f in facts if scores.month_of(f.at) == month]
    workers = [
        WorkerPoints(worker=w, name=grid.roster.worker(w).name, points=p)
        for w, p in scores.top_workers(in_month, n=len(grid.roster.workers))
    ]
    stars = scores.monthly_stars(in_month, month, [g.code for g in grid.territory.grids])
    return Scores(month=month, workers=workers, grids=stars)
