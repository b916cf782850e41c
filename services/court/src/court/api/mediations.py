"""HTTP routes of the court service for pre-litigation mediation (诉前调解): translate requests
to handler calls, nothing more."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from court.adapters.queries import mediations_where
from court.adapters.store import page_of
from court.api.deps import (
    Categories,
    Cursor,
    Filing,
    Limit,
    Mediating,
    Since,
    Staff,
    TribunalDep,
    Until,
    judge_to_confirm,
)
from court.domain.prelitigation import MediationStatus
from court.handlers import mediations
from court.schemas.common import NoteIn, ReasonIn, ReturnIn
from court.schemas.mediations import (
    AgreementIn,
    FilingIn,
    MediationAcceptanceIn,
    MediationPage,
    MediationRead,
    mediation_read,
)
from fengqiao.calendar import SHANGHAI
from fengqiao.security import Caller

router = APIRouter(prefix="/api/v1", tags=["court"])
BASE = "/mediations/{mediation_id}"


def shown(tribunal: TribunalDep, caller: Caller, mediation: mediations.Mediation) -> MediationRead:
    return mediation_read(mediation, tribunal.clock(), viewer=caller.subject)


@router.get("/mediations", response_model=MediationPage)
async def list_mediations(
    tribunal: TribunalDep,
    caller: Staff,
    status: Annotated[list[MediationStatus] | None, Query()] = None,
    category: Categories = None,
    since: Since = None,
    until: Until = None,
    mediator: Annotated[str | None, Query(max_length=64, description="mediator id")] = None,
    overdue: Annotated[bool, Query(description="only those past the court's time limit")] = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> MediationPage:
    """诉前调解 newest received first, with their clocks, a page at a time (pass `next_cursor`
    back as `cursor`); filter by status, category, period (`from`/`to`), mediator, overdue."""
    now = tribunal.clock()
    query = mediations_where(
        status=status,
        category=category,
        since=since,
        until=until,
        mediator=mediator,
        overdue=overdue,
        now=now,
    )
    page = await page_of(tribunal.stores.mediations, query, after=cursor, limit=limit)
    items = [mediation_read(m, now, viewer=caller.subject) for m in page.items]
    return MediationPage(items=items, next_cursor=page.next_cursor)


@router.get(BASE, response_model=MediationRead)
async def get_mediation(mediation_id: str, tribunal: TribunalDep, caller: Staff) -> MediationRead:
    """One mediation with its record (流程记录), numbers and clocks; parties whole only to its
    mediator."""
    return shown(tribunal, caller, await tribunal.stores.mediations.get(mediation_id))


@router.post(f"{BASE}/acceptance", response_model=MediationRead)
async def accept_mediation(
    mediation_id: str, body: MediationAcceptanceIn, tribunal: TribunalDep, caller: Filing
) -> MediationRead:
    """受理: numbered 诉前调, with the named mediator or the least loaded one; the hub gets
    case.accepted and case.progressed."""
    mediation = await mediations.accept(
        tribunal, mediation_id=mediation_id, by=caller.name, mediator_id=body.mediator_id
    )
    return shown(tribunal, caller, mediation)


@router.post(f"{BASE}/return", response_model=MediationRead)
async def return_mediation(
    mediation_id: str, body: ReturnIn, tribunal: TribunalDep, caller: Filing
) -> MediationRead:
    """退回 to the hub with a reason code, before acceptance (e.g. rights and duties unclear)."""
    mediation = await mediations.give_back(
        tribunal, mediation_id=mediation_id, reason=body.reason, detail=body.detail, by=caller.name
    )
    return shown(tribunal, caller, mediation)


@router.post(f"{BASE}/sessions", response_model=MediationRead)
async def record_session(
    mediation_id: str, body: NoteIn, tribunal: TribunalDep, caller: Mediating
) -> MediationRead:
    """调解记录: a session with the parties; the hub gets case.progressed."""
    mediation = await mediations.record_session(
        tribunal, mediation_id=mediation_id, note=body.note, by=caller.name
    )
    return shown(tribunal, caller, mediation)


@router.post(f"{BASE}/agreement", response_model=MediationRead)
async def mediated(
    mediation_id: str, body: AgreementIn, tribunal: TribunalDep, caller: Mediating
) -> MediationRead:
    """调解成功: the agreement's terms; `confirmed` (a judge only) confirms it at once with a
    民特 ruling. The hub gets case.feedback (resolved)."""
    judge_to_confirm(caller, confirmed=body.confirmed)
    mediation = await mediations.mediated(
        tribunal,
        mediation_id=mediation_id,
        terms=body.terms,
        confirmed=body.confirmed,
        by=caller.name,
    )
    return shown(tribunal, caller, mediation)


@router.post(f"{BASE}/failure", response_model=MediationRead)
async def failed(
    mediation_id: str, body: ReasonIn, tribunal: TribunalDep, caller: Mediating
) -> MediationRead:
    """调解不成: the reason; the hub gets case.progressed, and its feedback at filing."""
    mediation = await mediations.failed(
        tribunal, mediation_id=mediation_id, reason=body.reason, by=caller.name
    )
    return shown(tribunal, caller, mediation)


@router.post(f"{BASE}/filing", response_model=MediationRead)
async def file_case(
    mediation_id: str, body: FilingIn, tribunal: TribunalDep, caller: Filing
) -> MediationRead:
    """立案 after a failed mediation: numbered 民初; the hub gets case.feedback (referred) with
    the case number."""
    filed_on = body.filed_on or tribunal.clock().astimezone(SHANGHAI).date()
    mediation = await mediations.file_case(
        tribunal, mediation_id=mediation_id, filed_on=filed_on, by=caller.name
    )
    return shown(tribunal, caller, mediation)
