"""HTTP routes of the court service for judicial confirmation (司法确认) of mediation agreements
the justice office sends: translate requests to handler calls, nothing more."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from court.adapters.queries import confirmations_where
from court.adapters.store import page_of
from court.api.deps import (
    Categories,
    Cursor,
    Filing,
    Judge,
    Limit,
    Since,
    Staff,
    TribunalDep,
    Until,
)
from court.domain.confirmation import ConfirmationStatus
from court.handlers import confirmations
from court.schemas.common import NoteIn, ReasonIn, ReturnIn
from court.schemas.confirmations import ConfirmationPage, ConfirmationRead, confirmation_read
from fengqiao.security import Caller

router = APIRouter(prefix="/api/v1", tags=["court"])
BASE = "/confirmations/{confirmation_id}"


def shown(
    tribunal: TribunalDep, caller: Caller, request: confirmations.Confirmation
) -> ConfirmationRead:
    return confirmation_read(request, tribunal.clock(), viewer=caller.subject)


@router.get("/confirmations", response_model=ConfirmationPage)
async def list_confirmations(
    tribunal: TribunalDep,
    caller: Staff,
    status: Annotated[list[ConfirmationStatus] | None, Query()] = None,
    category: Categories = None,
    since: Since = None,
    until: Until = None,
    overdue: Annotated[bool, Query(description="only those past the decision limit")] = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> ConfirmationPage:
    """司法确认 requests newest received first, with their clocks, a page at a time; filter by
    status, category, period (`from`/`to`) and overdue."""
    now = tribunal.clock()
    query = confirmations_where(
        status=status, category=category, since=since, until=until, overdue=overdue, now=now
    )
    page = await page_of(tribunal.stores.confirmations, query, after=cursor, limit=limit)
    items = [confirmation_read(c, now, viewer=caller.subject) for c in page.items]
    return ConfirmationPage(items=items, next_cursor=page.next_cursor)


@router.get(BASE, response_model=ConfirmationRead)
async def get_confirmation(
    confirmation_id: str, tribunal: TribunalDep, caller: Staff
) -> ConfirmationRead:
    """One request with the agreement, its record and clocks; parties whole only to its judge."""
    return shown(tribunal, caller, await tribunal.stores.confirmations.get(confirmation_id))


@router.post(f"{BASE}/acceptance", response_model=ConfirmationRead)
async def accept(confirmation_id: str, tribunal: TribunalDep, caller: Judge) -> ConfirmationRead:
    """受理 by the calling judge; the decision is due within the limit. The justice office gets
    case.accepted. A request without an agreement or both parties is refused (422): return it."""
    request = await confirmations.accept(
        tribunal, confirmation_id=confirmation_id, by=caller.name, judge_id=caller.subject
    )
    return shown(tribunal, caller, request)


@router.post(f"{BASE}/return", response_model=ConfirmationRead)
async def give_back(
    confirmation_id: str, body: ReturnIn, tribunal: TribunalDep, caller: Filing
) -> ConfirmationRead:
    """不予受理: returned to the justice office with a reason code, before acceptance."""
    request = await confirmations.give_back(
        tribunal,
        confirmation_id=confirmation_id,
        reason=body.reason,
        detail=body.detail,
        by=caller.name,
    )
    return shown(tribunal, caller, request)


@router.post(f"{BASE}/reviews", response_model=ConfirmationRead)
async def review(
    confirmation_id: str, body: NoteIn, tribunal: TribunalDep, caller: Judge
) -> ConfirmationRead:
    """审查: a note of the review; the justice office gets case.progressed."""
    request = await confirmations.review(
        tribunal, confirmation_id=confirmation_id, note=body.note, by=caller.name
    )
    return shown(tribunal, caller, request)


@router.post(f"{BASE}/confirmation", response_model=ConfirmationRead)
async def confirm(confirmation_id: str, tribunal: TribunalDep, caller: Judge) -> ConfirmationRead:
    """裁定确认调解协议有效: a 民特 ruling; the justice office gets case.feedback (resolved)."""
    request = await confirmations.confirm(tribunal, confirmation_id=confirmation_id, by=caller.name)
    return shown(tribunal, caller, request)


@router.post(f"{BASE}/refusal", response_model=ConfirmationRead)
async def refuse(
    confirmation_id: str, body: ReasonIn, tribunal: TribunalDep, caller: Judge
) -> ConfirmationRead:
    """裁定驳回申请: a 民特 ruling with the reason; the justice office gets case.feedback
    (unresolved)."""
    request = await confirmations.refuse(
        tribunal, confirmation_id=confirmation_id, reason=body.reason, by=caller.name
    )
    return shown(tribunal, caller, request)
