"""公开听证: schedule, move, record and cancel public hearings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from procuratorate.adapters.queries import hearing_page
from procuratorate.api.deps import Cursor, From, Id, Limit, Proc, Staff, To
from procuratorate.domain import hearings
from procuratorate.domain.hearing import HearingStatus
from procuratorate.handlers import steps
from procuratorate.handlers.hearings import schedule_hearing
from procuratorate.schemas.common import PageOf, ReasonIn, page_of
from procuratorate.schemas.hearings import (
    HearingIn,
    HearingRead,
    HearingRecordIn,
    RescheduleIn,
    hearing_read,
)

router = APIRouter()
PATH = "/hearings/{hearing_id}"


@router.post("/hearings", response_model=HearingRead, status_code=201)
async def schedule(body: HearingIn, proc: Proc, caller: Staff) -> HearingRead:
    """安排公开听证, on a supervision case or standalone: a time still to come and a lawful
    panel (a presiding prosecutor and enough hearing officers, none of them a party)."""
    hearing = await schedule_hearing(
        proc,
        subject=body.subject,
        at=body.at,
        place=body.place,
        participants=body.participants,
        by=caller.name,
        case_id=body.case_id,
    )
    return hearing_read(hearing)


@router.get("/hearings", response_model=PageOf[HearingRead])
async def list_hearings(
    proc: Proc,
    caller: Staff,
    status: Annotated[list[HearingStatus] | None, Query()] = None,
    case_id: Id = None,
    start: From = None,
    end: To = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOf[HearingRead]:
    """Hearings, latest scheduled time first; filter by status, case and period."""
    page = await hearing_page(
        proc.stores,
        status=status,
        case_id=case_id,
        start=start,
        end=end,
        cursor=cursor,
        limit=limit,
    )
    return page_of(page, hearing_read)


@router.get(PATH, response_model=HearingRead)
async def get_hearing(hearing_id: str, proc: Proc, caller: Staff) -> HearingRead:
    """The hearing with its panel, its record (听证笔录) once held, and its history."""
    return hearing_read(await proc.stores.hearings.get(hearing_id))


@router.post(f"{PATH}/reschedule", response_model=HearingRead)
async def reschedule(hearing_id: str, body: RescheduleIn, proc: Proc, caller: Staff) -> HearingRead:
    """改期: while scheduled, to a time still to come (and another place if given)."""
    hearing = await steps.change(
        proc,
        proc.stores.hearings,
        hearing_id,
        lambda h, now: hearings.reschedule(
            h, at=body.at, by=caller.name, now=now, place=body.place
        ),
    )
    return hearing_read(hearing)


@router.post(f"{PATH}/record", response_model=HearingRead)
async def record(hearing_id: str, body: HearingRecordIn, proc: Proc, caller: Staff) -> HearingRead:
    """听证笔录: the hearing was held; its summary, conclusion and the officers' majority view."""
    hearing = await steps.change(
        proc,
        proc.stores.hearings,
        hearing_id,
        lambda h, now: hearings.record(
            h,
            summary=body.summary,
            conclusion=body.conclusion,
            majority_opinion=body.majority_opinion,
            by=caller.name,
            now=now,
        ),
    )
    return hearing_read(hearing)


@router.post(f"{PATH}/cancellation", response_model=HearingRead)
async def cancel(hearing_id: str, body: ReasonIn, proc: Proc, caller: Staff) -> HearingRead:
    """取消听证: with the reason, while still scheduled."""
    hearing = await steps.change(
        proc,
        proc.stores.hearings,
        hearing_id,
        lambda h, now: hearings.cancel(h, reason=body.reason, by=caller.name, now=now),
    )
    return hearing_read(hearing)
