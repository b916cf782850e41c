"""Patrol reports (事件上报): filed and disposed of in one step, and sent to the hub in the same
commit."""

from __future__ import annotations

import uuid

from fengqiao.contracts.codes import Category, Outcome
from fengqiao.contracts.events import Location
from grid.bootstrap import Grid
from grid.domain import patrol
from grid.domain.patrol import PatrolReport, Photo


async def report_patrol(
    grid: Grid,
    *,
    worker_id: str,
    category: Category,
    description: str,
    location: Location,
    photos: list[Photo],
    urgent: bool,
    escalate: bool,
    text: str,
    outcome: Outcome,
) -> PatrolReport:
    """事件上报 and its disposal in one step: resolved on the spot (``text`` is the result) or
    escalated (``text`` is the reason); either way the hub hears of it as ``case.reported``."""
    worker = grid.roster.worker(worker_id)
    now = grid.clock()
    report = patrol.file_report(
        report_id=uuid.uuid4().hex,
        reporter=worker,
        category=category,
        description=description,
        location=location,
        photos=photos,
        urgent=urgent,
        territory=grid.territory,
        now=now,
    )
    if escalate:
        event = patrol.escalate(report, worker=worker, reason=text, now=now)
    else:
        event = patrol.resolve_on_spot(report, worker=worker, result=text, now=now, outcome=outcome)
    message = grid.to(grid.settings.hub_agency, event, subject=report.id, cause=None)
    return await grid.stores.reports.add(report, [message])
