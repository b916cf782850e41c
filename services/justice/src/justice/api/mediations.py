"""HTTP routes of mediations: registration, the inbox, the record and the steps up to the
outcome; each translates the request to a handler call."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from fengqiao.clock import now_utc
from fengqiao.contracts.codes import Category
from justice.adapters.queries import mediation_inbox
from justice.api.deps import Clerk, OfficeDep, Staff, handled
from justice.domain.fields import CommitteeField
from justice.domain.mediation import MediationStatus, Source
from justice.handlers import mediations as handlers
from justice.schemas.mediations import (
    AcceptanceIn,
    ApplicationIn,
    FailureIn,
    MediationPage,
    MediationRead,
    ReturnIn,
    SessionIn,
    mediation_read,
    mediation_summary,
)

router = APIRouter()


@router.post("/mediations", status_code=201, response_model=MediationRead)
async def register(body: ApplicationIn, office: OfficeDep, caller: Clerk) -> MediationRead:
    """当事人申请调解: a walk-in application, the office's own mediation (the hub is not told)."""
    mediation = await handlers.register(office, application=body, by=caller.name)
    return mediation_read(mediation, caller, now_utc())


@router.get("/mediations", response_model=MediationPage)
async def inbox(
    office: OfficeDep,
    caller: Staff,
    status: Annotated[list[MediationStatus] | None, Query()] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    field: Annotated[list[CommitteeField] | None, Query()] = None,
    source: Annotated[list[Source] | None, Query()] = None,
    committee: Annotated[str | None, Query(max_length=64)] = None,
    mediator: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool | None = None,
    received_from: Annotated[datetime | None, Query(alias="from")] = None,
    received_to: Annotated[datetime | None, Query(alias="to")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MediationPage:
    """收案登记 (inbox), newest first, with each mediation's clocks (签收/办结时限, overdue).
    ``from``/``to`` bound the receipt time; ``cursor`` is the previous page's ``next_cursor``."""
    now = now_utc()
    page = await mediation_inbox(
        office.stores,
        now=now,
        status=status,
        category=category,
        field=field,
        source=source,
        committee=committee,
        mediator=mediator,
        overdue=overdue,
        received_from=received_from,
        received_to=received_to,
        cursor=cursor,
        limit=limit,
    )
    return MediationPage(
        items=[mediation_summary(m, now) for m in page.items], next_cursor=page.next_cursor
    )


@router.get("/mediations/{mediation_id}", response_model=MediationRead)
async def get_mediation(mediation_id: str, office: OfficeDep, caller: Staff) -> MediationRead:
    """The mediation with its record (调解流水), sessions, agreement, confirmation and clocks."""
    mediation = await office.stores.mediations.get(mediation_id)
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/acceptance", response_model=MediationRead)
async def accept(
    mediation_id: str, body: AcceptanceIn, office: OfficeDep, caller: Clerk
) -> MediationRead:
    """受理: committee and mediator chosen by field, place and current load, or the named
    mediator (指定, with the reason); the hub hears who handles its order."""
    mediation = await handlers.accept(
        office,
        mediation_id=mediation_id,
        by=caller.name,
        mediator_id=body.mediator_id,
        reason=body.reason,
    )
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/return", response_model=MediationRead)
async def give_back(
    mediation_id: str, body: ReturnIn, office: OfficeDep, caller: Clerk
) -> MediationRead:
    """退回 a hub order that is not for people's mediation, before it is accepted."""
    mediation = await handlers.return_to_hub(
        office,
        mediation_id=mediation_id,
        reason_code=body.reason_code,
        reason=body.reason,
        by=caller.name,
    )
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/sessions", response_model=MediationRead)
async def hold_session(
    mediation_id: str, body: SessionIn, office: OfficeDep, caller: Staff
) -> MediationRead:
    """调解记录: a meeting with the parties was held; the hub hears of it."""
    await handled(office, mediation_id, caller)
    mediation = await handlers.hold_session(
        office,
        mediation_id=mediation_id,
        at=body.at,
        place=body.place,
        attendees=body.attendees,
        notes=body.notes,
        by=caller.name,
    )
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/failure", response_model=MediationRead)
async def fail(
    mediation_id: str, body: FailureIn, office: OfficeDep, caller: Staff
) -> MediationRead:
    """调解不成 (终止调解) with the reason; the hub gets it as feedback."""
    await handled(office, mediation_id, caller)
    mediation = await handlers.fail(
        office, mediation_id=mediation_id, reason=body.reason, by=caller.name
    )
    return mediation_read(mediation, caller, now_utc())
