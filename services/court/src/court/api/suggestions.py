"""HTTP routes of the court service for judicial suggestions (司法建议) to departments: translate
requests to handler calls, nothing more."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from court.adapters.queries import suggestions_where
from court.adapters.store import page_of
from court.api.deps import Categories, Cursor, Judge, Limit, Since, Staff, TribunalDep, Until
from court.domain.suggestion import SuggestionStatus
from court.handlers import suggestions
from court.schemas.common import ReasonIn
from court.schemas.suggestions import (
    AGENCY_ID,
    SuggestionIn,
    SuggestionPage,
    SuggestionRead,
    suggestion_read,
)

router = APIRouter(prefix="/api/v1", tags=["court"])


@router.post("/suggestions", status_code=201, response_model=SuggestionRead)
async def issue(body: SuggestionIn, tribunal: TribunalDep, caller: Judge) -> SuggestionRead:
    """发出司法建议 to a department; it gets case.transferred (action reply) and must reply
    within `reply_within_days`."""
    suggestion = await suggestions.issue_suggestion(
        tribunal,
        department=body.department,
        subject=body.subject,
        content=body.content,
        category=body.category,
        location=body.location,
        related_case=body.related_case,
        reply_within=timedelta(days=body.reply_within_days),
        by=caller.name,
    )
    return suggestion_read(suggestion, tribunal.clock())


@router.get("/suggestions", response_model=SuggestionPage)
async def list_suggestions(
    tribunal: TribunalDep,
    caller: Staff,
    status: Annotated[list[SuggestionStatus] | None, Query()] = None,
    category: Categories = None,
    department: Annotated[str | None, Query(pattern=AGENCY_ID)] = None,
    since: Since = None,
    until: Until = None,
    overdue: Annotated[bool, Query(description="only those past the reply date")] = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> SuggestionPage:
    """司法建议 newest issued first, a page at a time; filter by status, category, department,
    period (`from`/`to` on the issue time) and overdue."""
    now = tribunal.clock()
    query = suggestions_where(
        status=status,
        category=category,
        department=department,
        since=since,
        until=until,
        overdue=overdue,
        now=now,
    )
    page = await page_of(tribunal.stores.suggestions, query, after=cursor, limit=limit)
    return SuggestionPage(
        items=[suggestion_read(s, now) for s in page.items], next_cursor=page.next_cursor
    )


@router.get("/suggestions/{suggestion_id}", response_model=SuggestionRead)
async def get_suggestion(
    suggestion_id: str, tribunal: TribunalDep, caller: Staff
) -> SuggestionRead:
    """One suggestion with its record and the department's reply, when it came."""
    return suggestion_read(await tribunal.stores.suggestions.get(suggestion_id), tribunal.clock())


@router.post("/suggestions/{suggestion_id}/withdrawal", response_model=SuggestionRead)
async def withdraw(
    suggestion_id: str, body: ReasonIn, tribunal: TribunalDep, caller: Judge
) -> SuggestionRead:
    """撤回 an unanswered suggestion; the department gets case.closed."""
    suggestion = await suggestions.withdraw(
        tribunal, suggestion_id=suggestion_id, reason=body.reason, by=caller.name
    )
    return suggestion_read(suggestion, tribunal.clock())
