"""监督案件: hub referrals under supervision, from acceptance to closure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fengqiao.contracts.codes import Category
from procuratorate.adapters.queries import case_page
from procuratorate.api.deps import Cursor, From, Limit, Proc, Prosecutor, Staff, To
from procuratorate.domain import supervising
from procuratorate.domain.supervision import SupervisionField, SupervisionStatus
from procuratorate.handlers import steps, suggestions
from procuratorate.schemas.cases import (
    AcceptanceIn,
    CaseRead,
    ClosureIn,
    IssuedRead,
    NoteIn,
    ReturnIn,
    case_read,
)
from procuratorate.schemas.common import PageOf, page_of
from procuratorate.schemas.suggestions import SuggestionIn, suggestion_read

router = APIRouter()
PATH = "/supervision-cases/{case_id}"


@router.get("/supervision-cases", response_model=PageOf[CaseRead])
async def list_cases(
    proc: Proc,
    caller: Staff,
    status: Annotated[list[SupervisionStatus] | None, Query()] = None,
    field: Annotated[list[SupervisionField] | None, Query()] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    start: From = None,
    end: To = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOf[CaseRead]:
    """Supervision cases, newest referral first, a page at a time; filter by status, field,
    category and period of receipt."""
    page = await case_page(
        proc.stores,
        status=status,
        field=field,
        category=category,
        start=start,
        end=end,
        cursor=cursor,
        limit=limit,
    )
    return page_of(page, lambda c: case_read(c, caller.name))


@router.get(PATH, response_model=CaseRead)
async def get_case(case_id: str, proc: Proc, caller: Staff) -> CaseRead:
    """The case with its record (流水); parties unmasked only to its prosecutor."""
    return case_read(await proc.stores.cases.get(case_id), caller.name)


@router.post(f"{PATH}/acceptance", response_model=CaseRead)
async def accept(case_id: str, body: AcceptanceIn, proc: Proc, caller: Prosecutor) -> CaseRead:
    """受理: take the referral on, naming the prosecutor handling it; the hub is told (签收)."""
    handler = body.handler or caller.name
    case = await steps.change(
        proc,
        proc.stores.cases,
        case_id,
        lambda c, now: supervising.accept(c, handler=handler, now=now),
    )
    return case_read(case, caller.name)


@router.post(f"{PATH}/return", response_model=CaseRead)
async def give_back(case_id: str, body: ReturnIn, proc: Proc, caller: Prosecutor) -> CaseRead:
    """退回: a referral that is not procuratorial business goes back to the hub, before
    acceptance, with a reason code and the reason."""
    case = await steps.change(
        proc,
        proc.stores.cases,
        case_id,
        lambda c, now: supervising.return_to_hub(
            c, reason_code=body.reason_code, reason=body.reason, by=caller.name, now=now
        ),
    )
    return case_read(case, caller.name)


@router.post(f"{PATH}/investigation", response_model=CaseRead)
async def investigate(case_id: str, body: NoteIn, proc: Proc, caller: Prosecutor) -> CaseRead:
    """调查核实: a note on the inquiry (the first starts the investigation); the hub gets it
    as progress."""
    case = await steps.change(
        proc,
        proc.stores.cases,
        case_id,
        lambda c, now: supervising.investigate(c, by=caller.name, now=now, note=body.note),
    )
    return case_read(case, caller.name)


@router.post(f"{PATH}/suggestion", response_model=IssuedRead, status_code=201)
async def issue_suggestion(
    case_id: str, body: SuggestionIn, proc: Proc, caller: Prosecutor
) -> IssuedRead:
    """制发检察建议 to a department (its agency id): it gets the order to reply within
    `reply_months` calendar months, the hub is told. One suggestion per case; issuing it again
    returns the one issued."""
    case, suggestion = await suggestions.issue_suggestion(
        proc, case_id=case_id, draft=body.draft(), by=caller.name, reply_months=body.reply_months
    )
    return IssuedRead(
        case=case_read(case, caller.name), suggestion=suggestion_read(suggestion, proc.clock())
    )


@router.post(f"{PATH}/closure", response_model=CaseRead)
async def close(case_id: str, body: ClosureIn, proc: Proc, caller: Prosecutor) -> CaseRead:
    """办结: after the department's reply, or from the investigation when no violation was
    found; the hub gets its feedback (反馈)."""
    case = await steps.change(
        proc,
        proc.stores.cases,
        case_id,
        lambda c, now: supervising.close(c, by=caller.name, now=now, summary=body.summary),
    )
    return case_read(case, caller.name)
