"""检察建议的制发与回复: issue a suggestion as an order to a department, and take the
department's answers to it — 签收 and 进展 are logged, 反馈 is the written reply.

An answer must come from the department the suggestion went to and carry its assignment id;
an answer to a suggestion that is no longer awaiting its reply is refused, changing nothing.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from fengqiao.contracts.codes import Action, Category, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseTransferred,
    Location,
)
from fengqiao.contracts.orders import Notice
from procuratorate.domain.errors import IllegalTransition, InvalidRequest, NotAddressee
from procuratorate.domain.suggestion import (
    ACCEPT_WITHIN,
    REPLY_MONTHS,
    Reply,
    Suggestion,
    end_of_day,
    reply_due_on,
)
from procuratorate.domain.suggestion import SuggestionStatus as S
from procuratorate.domain.workflow import require_text

TITLE_PREFIX = "检察建议: "


class SuggestionDraft(BaseModel):
    """What the prosecutor writes: to which department, about what, on which legal basis."""

    department: str = Field(min_length=1, max_length=100, description="agency id")
    subject: str = Field(min_length=1, max_length=200 - len(TITLE_PREFIX))
    content: str = Field(min_length=1, max_length=10_000)
    legal_basis: str = Field(min_length=1, max_length=2000)


def issue(
    suggestion_id: str,
    draft: SuggestionDraft,
    *,
    category: Category,
    location: Location,
    by: str,
    now: datetime,
    case_id: str | None = None,
    reply_months: int = REPLY_MONTHS,
) -> tuple[Suggestion, list[Notice]]:
    """制发检察建议: the suggestion, and the order (case.transferred) the department must answer."""
    if reply_months < 1:
        raise InvalidRequest(f"the reply period must be at least one month, got {reply_months}")
    written = {what: require_text(text, what) for what, text in draft.model_dump().items()}
    due_on = reply_due_on(now, months=reply_months)
    suggestion = Suggestion(
        id=suggestion_id,
        case_id=case_id,
        assignment_id=f"{suggestion_id}-reply",
        **written,
        category=category,
        location=location,
        issued_at=now,
        issued_by=by,
        reply_due_on=due_on,
        reply_due_at=end_of_day(due_on),
        accept_by=now + ACCEPT_WITHIN,
    )
    suggestion.log(at=now, actor=by, note=f"发往 {suggestion.department}, 回复期限 {due_on}")
    order = CaseTransferred(
        case_id=suggestion.id,
        assignment_id=suggestion.assignment_id,
        category=category,
        severity=Severity.GENERAL,
        action=Action.REPLY,
        lead=True,
        title=f"{TITLE_PREFIX}{suggestion.subject}",
        summary=suggestion.content,
        location=location,
        accept_by=suggestion.accept_by,
        due_at=suggestion.reply_due_at,
    )
    return suggestion, [Notice(suggestion.department, order)]


def on_accepted(
    suggestion: Suggestion, event: CaseAccepted, *, sender: str, now: datetime
) -> list[Notice]:
    """签收: the department acknowledges the suggestion; logged, nothing owed back."""
    _check_answer(suggestion, event.case_id, event.assignment_id, sender)
    suggestion.require_in(S.ISSUED, to="accept it")
    if suggestion.accepted_at is not None:
        raise IllegalTransition(f"suggestion {suggestion.id} was accepted already")
    suggestion.log(at=now, actor=event.handler, note=f"{sender} 签收")
    suggestion.accepted_at, suggestion.accepted_by = event.accepted_at, event.handler
    return []


def on_progressed(
    suggestion: Suggestion, event: CaseProgressed, *, sender: str, now: datetime
) -> list[Notice]:
    """整改进展: an interim report from the department; logged, nothing owed back."""
    _check_answer(suggestion, event.case_id, event.assignment_id, sender)
    suggestion.require_in(S.ISSUED, to="take progress on it")
    suggestion.log(at=now, actor=sender, note=f"部门进展: {event.note}")
    return []


def on_feedback(
    suggestion: Suggestion, event: CaseFeedback, *, sender: str, now: datetime
) -> list[Notice]:
    """书面回复: the department's reply; rectified when it reports the matter resolved."""
    _check_answer(suggestion, event.case_id, event.assignment_id, sender)
    suggestion.move(S.REPLIED, at=now, actor=sender, note=f"部门回复: {event.summary}")
    suggestion.reply = Reply(
        at=now,
        content=event.summary,
        outcome=event.outcome,
        rectified=event.outcome is Outcome.RESOLVED,
        documents=list(event.documents),
        late=now >= suggestion.reply_due_at,
    )
    return []


def close(suggestion: Suggestion, *, by: str, now: datetime, note: str | None = None) -> None:
    """结案: the reply was assessed; the suggestion is filed."""
    suggestion.move(S.CLOSED, at=now, actor=by, note=note)
    suggestion.closed_at = now


def withdraw(suggestion: Suggestion, *, reason: str, by: str, now: datetime) -> None:
    """撤回: an issued suggestion is withdrawn before the department replied."""
    reason = require_text(reason, "the reason for withdrawal")
    suggestion.move(S.WITHDRAWN, at=now, actor=by, note=reason)
    suggestion.withdrawn_reason, suggestion.closed_at = reason, now


def _check_answer(suggestion: Suggestion, case_id: str, assignment_id: str, sender: str) -> None:
    if (case_id, assignment_id) != (suggestion.id, suggestion.assignment_id):
        raise NotAddressee(
            f"an answer for {case_id}/{assignment_id} is not one for suggestion "
            f"{suggestion.id}/{suggestion.assignment_id}"
        )
    if sender != suggestion.department:
        raise NotAddressee(
            f"suggestion {suggestion.id} went to {suggestion.department}, not to {sender}"
        )
