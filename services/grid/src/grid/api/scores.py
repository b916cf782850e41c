"""HTTP route of the month's scores: points (积分) per worker, stars (星级) per grid."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from grid.api.deps import GridDep, Staff
from grid.domain import scores
from grid.schemas.scores import Scores, WorkerPoints

router = APIRouter()


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
