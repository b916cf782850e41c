"""司法建议 commands: issue to a department, withdraw, and the overdue pass (逾期催复)."""

from __future__ import annotations

import contextlib
import logging
import uuid
from datetime import timedelta

from court.adapters.store import all_of
from court.domain import suggestion_replies
from court.domain.errors import DomainError
from court.domain.suggestion import JudicialSuggestion, issue
from court.domain.suggestion import SuggestionStatus as G
from court.domain.suggestion_clock import flag_overdue
from court.handlers import Tribunal, change
from fengqiao.contracts.codes import Category
from fengqiao.contracts.events import Location
from fengqiao.storage import ConcurrencyError

log = logging.getLogger(__name__)
Suggestion = JudicialSuggestion


async def issue_suggestion(
    tribunal: Tribunal,
    *,
    department: str,
    subject: str,
    content: str,
    category: Category,
    location: Location | None,
    related_case: str | None,
    reply_within: timedelta,
    by: str,
) -> Suggestion:
    """发出司法建议: the suggestion, and its order to the department, in one commit."""
    suggestion, notices = issue(
        f"sj-{uuid.uuid4().hex[:17]}",
        department=department,
        subject=subject,
        content=content,
        category=category,
        by=by,
        now=tribunal.clock(),
        location=location,
        related_case=related_case,
        reply_within=reply_within,
        court=tribunal.settings.court,
    )
    events = tribunal.outgoing(suggestion.id, notices, None)
    return await tribunal.stores.suggestions.add(suggestion, events)


async def withdraw(tribunal: Tribunal, *, suggestion_id: str, reason: str, by: str) -> Suggestion:
    """撤回: the department is told to close its part."""
    now = tribunal.clock()
    return await change(
        tribunal,
        tribunal.stores.suggestions,
        suggestion_id,
        lambda s: suggestion_replies.withdraw(s, reason=reason, by=by, now=now),
    )


async def flag_overdue_suggestions(tribunal: Tribunal) -> int:
    """One pass of the overdue clock; returns how many suggestions were flagged now."""
    now = tribunal.clock()
    open_late = {
        "status": {"$in": [G.ISSUED.value, G.ACCEPTED.value]},
        "reply_due": {"$lt": now},
        "overdue_flagged_at": None,
    }
    flagged = 0
    for suggestion in await all_of(tribunal.stores.suggestions, open_late):
        # Another replica flagged it meanwhile, or a step dated later came in: leave it.
        with contextlib.suppress(ConcurrencyError):
            try:
                saved = await change(
                    tribunal,
                    tribunal.stores.suggestions,
                    suggestion.id,
                    lambda s: flag_overdue(s, now=now),
                    attempts=1,
                )
            except DomainError as error:
                log.warning("suggestion %s not flagged: %s", suggestion.id, error)
                continue
            flagged += saved.overdue_flagged_at == now
    return flagged
