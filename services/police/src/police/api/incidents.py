"""HTTP routes of incidents: the desk's intake and inbox, and the steps on an incident."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from fengqiao.clock import now_utc
from fengqiao.contracts.codes import Category
from police.adapters.store import inbox_filter, newest_incidents
from police.api.deps import Desk, OnScene, Staff, StationDep
from police.domain.incident import Incident, IncidentStatus, Source
from police.domain.reception import Report
from police.domain.response import Priority, ResponseLevel
from police.handlers import incidents
from police.schemas.incidents import (
    AcceptanceIn,
    ClosureIn,
    DispatchIn,
    DisposalIn,
    IncidentPage,
    IncidentRead,
    IncidentSummary,
    InvestigationIn,
    ReturnIn,
    clocks,
)

router = APIRouter()


def read(incident: Incident) -> IncidentRead:
    return IncidentRead.model_validate(
        {**incident.model_dump(), "clocks": clocks(incident, now_utc())}
    )


@router.post("/incidents", status_code=201, response_model=IncidentRead)
async def register(body: Report, station: StationDep, caller: Desk) -> IncidentRead:
    """接警: a 110 call, a walk-in or a patrol's find, registered at once."""
    return read(await incidents.register(station, report=body, by=caller.name))


@router.get("/incidents", response_model=IncidentPage)
async def inbox(
    station: StationDep,
    caller: Staff,
    status: Annotated[list[IncidentStatus] | None, Query()] = None,
    priority: Annotated[list[Priority] | None, Query()] = None,
    level: Annotated[list[ResponseLevel] | None, Query()] = None,
    source: Annotated[list[Source] | None, Query()] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
    received_from: Annotated[datetime | None, Query(alias="from")] = None,
    received_to: Annotated[datetime | None, Query(alias="to")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> IncidentPage:
    """The desk's inbox, newest first, with each incident's clocks, a page at a time (pass
    `next_cursor` back as `cursor`); `from`/`to` bound the time received."""
    where = inbox_filter(
        status=status,
        priority=priority,
        level=level,
        source=source,
        category=category,
        open_only=open_only,
        received_from=received_from,
        received_to=received_to,
    )
    now = now_utc()
    page = await newest_incidents(station.incidents, where, after=cursor, limit=limit)
    items = [
        IncidentSummary(
            **i.model_dump(include=set(IncidentSummary.model_fields) - {"clocks"}),
            clocks=clocks(i, now),
        )
        for i in page.items
    ]
    return IncidentPage(items=items, next_cursor=page.next_cursor)


@router.get("/incidents/{incident_id}", response_model=IncidentRead)
async def get_incident(incident_id: str, station: StationDep, caller: Staff) -> IncidentRead:
    """The incident with its record (警情流水), unit, times and clocks."""
    return read(await station.incidents.get(incident_id))


@router.post("/incidents/{incident_id}/acceptance", response_model=IncidentRead)
async def accept(
    incident_id: str, body: AcceptanceIn, station: StationDep, caller: Desk
) -> IncidentRead:
    """签收 a hub order; the hub hears of it."""
    handler = body.handler or caller.name
    return read(await incidents.accept(station, incident_id=incident_id, handler=handler))


@router.post("/incidents/{incident_id}/return", response_model=IncidentRead)
async def give_back(
    incident_id: str, body: ReturnIn, station: StationDep, caller: Desk
) -> IncidentRead:
    """退回 a hub order that is not police business, before it is accepted."""
    incident = await incidents.return_to_hub(
        station,
        incident_id=incident_id,
        reason_code=body.reason_code,
        reason=body.reason,
        by=caller.name,
    )
    return read(incident)


@router.post("/incidents/{incident_id}/dispatch", response_model=IncidentRead)
async def dispatch(
    incident_id: str, body: DispatchIn, station: StationDep, caller: Desk
) -> IncidentRead:
    """派警: the nearest available unit (of ``kinds``), or the named one."""
    incident = await incidents.dispatch(
        station, incident_id=incident_id, by=caller.name, unit_id=body.unit_id, kinds=body.kinds
    )
    return read(incident)


@router.post("/incidents/{incident_id}/arrival", response_model=IncidentRead)
async def arrive(incident_id: str, station: StationDep, caller: OnScene) -> IncidentRead:
    """到场: stops the circle's clock."""
    return read(await incidents.arrive(station, incident_id=incident_id, by=caller.name))


@router.post("/incidents/{incident_id}/disposal", response_model=IncidentRead)
async def dispose(
    incident_id: str, body: DisposalIn, station: StationDep, caller: OnScene
) -> IncidentRead:
    """现场处置: what was done; the grid is asked to follow up unless declined."""
    incident = await incidents.dispose(
        station,
        incident_id=incident_id,
        by=caller.name,
        summary=body.summary,
        parties=body.parties,
        grid_follow_up=body.grid_follow_up,
    )
    return read(incident)


@router.post("/incidents/{incident_id}/investigation", response_model=IncidentRead)
async def investigate(
    incident_id: str, body: InvestigationIn, station: StationDep, caller: OnScene
) -> IncidentRead:
    """转入调查: the matter needs inquiries after the scene."""
    incident = await incidents.investigate(
        station, incident_id=incident_id, by=caller.name, note=body.note
    )
    return read(incident)


@router.post("/incidents/{incident_id}/closure", response_model=IncidentRead)
async def close(
    incident_id: str, body: ClosureIn, station: StationDep, caller: OnScene
) -> IncidentRead:
    """办结: the hub gets its feedback (反馈)."""
    incident = await incidents.close(
        station, incident_id=incident_id, by=caller.name, outcome=body.outcome, summary=body.summary
    )
    return read(incident)
