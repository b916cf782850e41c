"""检察建议: suggestions to departments, tracked to their reply; closed or withdrawn here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fengqiao.contracts.codes import Category
from procuratorate.adapters.queries import suggestion_page
from procuratorate.api.deps import Cursor, From, Id, Limit, Proc, Prosecutor, Staff, To
from procuratorate.domain import suggesting
from procuratorate.domain.suggestion import SuggestionStatus
from procuratorate.handlers import steps
from procuratorate.schemas.common import PageOf, ReasonIn, page_of
from procuratorate.schemas.suggestions import SuggestionClosureIn, SuggestionRead, suggestion_read

router = APIRouter()
PATH = "/suggestions/{suggestion_id}"


@router.get("/suggestions", response_model=PageOf[SuggestionRead])
async def list_suggestions(
    proc: Proc,
    caller: Staff,
    status: Annotated[list[SuggestionStatus] | None, Query()] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    department: Id = None,
    case_id: Id = None,
    overdue: Annotated[bool | None, Query(description="逾期未回复 only (or none of them)")] = None,
    start: From = None,
    end: To = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOf[SuggestionRead]:
    """Suggestions, newest issued first, a page at a time; filter by status, category,
    department, case, period of issue, and whether the reply is overdue."""
    now = proc.clock()
    page = await suggestion_page(
        proc.stores,
        now=now,
        status=status,
        category=category,
        department=department,
        case_id=case_id,
        overdue=overdue,
        start=start,
        end=end,
        cursor=cursor,
        limit=limit,
    )
    return page_of(page, lambda s: suggestion_read(s, now))


@router.get(PATH, response_model=SuggestionRead)
async def get_suggestion(suggestion_id: str, proc: Proc, caller: Staff) -> SuggestionRead:
    """The suggestion with its record, the department's reply and the reminders sent."""
    return suggestion_read(await proc.stores.suggestions.get(suggestion_id), proc.clock())


@router.post(f"{PATH}/closure", response_model=SuggestionRead)
async def close(
    suggestion_id: str, body: SuggestionClosureIn, proc: Proc, caller: Prosecutor
) -> SuggestionRead:
    """结案: the reply was assessed and the suggestion is filed (only once replied)."""
    suggestion = await steps.change(
        proc,
        proc.stores.suggestions,
        suggestion_id,
        lambda s, now: suggesting.close(s, by=caller.name, now=now, note=body.note),
    )
    return suggestion_read(suggestion, proc.clock())


@router.post(f"{PATH}/withdrawal", response_model=SuggestionRead)
async def withdraw(
    suggestion_id: str, body: ReasonIn, proc: Proc, caller: Prosecutor
) -> SuggestionRead:
    """撤回: an issued suggestion withdrawn, with the reason, before the department replied."""
    suggestion = await steps.change(
        proc,
        proc.stores.suggestions,
        suggestion_id,
        lambda s, now: suggesting.withdraw(s, reason=body.reason, by=caller.name, now=now),
    )
    return suggestion_read(suggestion, proc.clock())
