"""HTTP routes of the police service: translate requests to handler calls, nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from fengqiao.clock import now_utc
from fengqiao.contracts.codes import Category
from fengqiao.contracts.orders import Notice
from fengqiao.security import Caller
from fengqiao.storage import newest_first
from fengqiao.web.auth import require_role
from police import handlers
from police.bootstrap import station_of
from police.domain import handling
from police.domain.incident import Incident, IncidentStatus, Source
from police.domain.reception import Report
from police.domain.response import Priority, ResponseLevel
from police.domain.units import UnitStatus
from police.handlers import Station
from police.schemas import (
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

router = APIRouter(prefix="/api/v1", tags=["police"])
STAFF = ("dispatcher", "officer", "leader")
DESK = ("dispatcher",)  # 接警台 / 指挥室: registers and sends units
FIELD = ("dispatcher", "officer")  # what officers at the scene report


def station(request: Request) -> Station:
    return station_of(request.app.state.runtime)


StationDep = Annotated[Station, Depends(station)]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]
Desk = Annotated[Caller, Depends(require_role(*DESK))]
OnScene = Annotated[Caller, Depends(require_role(*FIELD))]


def read(incident: Incident) -> IncidentRead:
    return IncidentRead.model_validate(
        {**incident.model_dump(), "clocks": clocks(incident, now_utc())}
    )


@router.post("/incidents", status_code=201, response_model=IncidentRead)
async def register(body: Report, station: StationDep, caller: Desk) -> IncidentRead:
    """接警: a 110 call, a walk-in or a patrol's find, registered at once."""
    return read(await handlers.register(station, report=body, by=caller.name))


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
    where: dict[str, Any] = {}
    for name, values in (
        ("status", status),
        ("priority", priority),
        ("level", level),
        ("source", source),
        ("category", category),
    ):
        if values:
            where[name] = {"$in": [v.value for v in values]}
    if open_only:
        where.setdefault("status", {})["$nin"] = [S.value for S in FINISHED]
    period = {
        op: at for op, at in (("$gte", received_from), ("$lt", received_to)) if at is not None
    }
    if period:
        where["received_at"] = period
    now = now_utc()
    page = await newest_first(station.incidents, where, by="received_at", after=cursor, limit=limit)
    items = [
        IncidentSummary(
            **i.model_dump(include=set(IncidentSummary.model_fields) - {"clocks"}),
            clocks=clocks(i, now),
        )
        for i in page.items
    ]
    return IncidentPage(items=items, next_cursor=page.next_cursor)


FINISHED = (IncidentStatus.CLOSED, IncidentStatus.RETURNED)


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
    incident = await handlers.change(
        station, incident_id, lambda i: handling.accept(i, handler=handler, now=now_utc())
    )
    return read(incident)


@router.post("/incidents/{incident_id}/return", response_model=IncidentRead)
async def give_back(
    incident_id: str, body: ReturnIn, station: StationDep, caller: Desk
) -> IncidentRead:
    """退回 a hub order that is not police business, before it is accepted."""
    incident = await handlers.change(
        station,
        incident_id,
        lambda i: handling.return_to_hub(
            i, reason_code=body.reason_code, reason=body.reason, by=caller.name, now=now_utc()
        ),
    )
    return read(incident)


@router.post("/incidents/{incident_id}/dispatch", response_model=IncidentRead)
async def dispatch(
    incident_id: str, body: DispatchIn, station: StationDep, caller: Desk
) -> IncidentRead:
    """派警: the nearest available unit (of ``kinds``), or the named one."""
    incident = await handlers.dispatch(
        station, incident_id=incident_id, by=caller.name, unit_id=body.unit_id, kinds=body.kinds
    )
    return read(incident)


@router.post("/incidents/{incident_id}/arrival", response_model=IncidentRead)
async def arrive(incident_id: str, station: StationDep, caller: OnScene) -> IncidentRead:
    """到场: stops the circle's clock."""

    def step(incident: Incident) -> list[Notice] | None:
        return handling.arrive(incident, by=caller.name, now=now_utc())

    return read(await handlers.step_with_unit(station, incident_id, step, UnitStatus.ON_SCENE))


@router.post("/incidents/{incident_id}/disposal", response_model=IncidentRead)
async def dispose(
    incident_id: str, body: DisposalIn, station: StationDep, caller: OnScene
) -> IncidentRead:
    """现场处置: what was done; the grid is asked to follow up unless declined."""

    def step(incident: Incident) -> list[Notice] | None:
        return handling.dispose(
            incident,
            by=caller.name,
            now=now_utc(),
            summary=body.summary,
            parties=body.parties,
            grid_follow_up=body.grid_follow_up,
            linkage=station.linkage,
        )

    return read(await handlers.step_with_unit(station, incident_id, step, UnitStatus.AVAILABLE))


@router.post("/incidents/{incident_id}/investigation", response_model=IncidentRead)
async def investigate(
    incident_id: str, body: InvestigationIn, station: StationDep, caller: OnScene
) -> IncidentRead:
    """转入调查: the matter needs inquiries after the scene."""
    incident = await handlers.change(
        station,
        incident_id,
        lambda i: handling.investigate(i, by=caller.name, now=now_utc(), note=body.note),
    )
    return read(incident)


@router.post("/incidents/{incident_id}/closure", response_model=IncidentRead)
async def close(
    incident_id: str, body: ClosureIn, station: StationDep, caller: OnScene
) -> IncidentRead:
    """办结: the hub gets its feedback (反馈)."""
    incident = await handlers.change(
        station,
        incident_id,
        lambda i: handling.close(
            i, by=caller.name, now=now_utc(), outcome=body.outcome, summary=body.summary
        ),
    )
    return read(incident)
