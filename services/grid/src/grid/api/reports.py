"""HTTP route of patrol reports (事件上报)."""

from __future__ import annotations

from fastapi import APIRouter

from grid.api.deps import GridDep, Worker
from grid.domain.patrol import Disposal
from grid.handlers.reports import report_patrol
from grid.schemas.reports import ReportIn, ReportRead

router = APIRouter()


@router.post("/reports", status_code=201, response_model=ReportRead)
async def report(body: ReportIn, grid: GridDep, caller: Worker) -> ReportRead:
    """事件上报: resolved on the spot or escalated; the hub hears of it either way."""
    escalate = body.disposal is Disposal.TO_HUB
    filed = await report_patrol(
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
