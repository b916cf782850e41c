"""The department's answers to a judicial suggestion (司法建议), and its withdrawal.

签收 and 进展 are logged; 反馈 is the reply (回复) and ends it; 退回 ends it unreplied. An
answer from another sender or for another assignment is refused (UnknownAssignment), and so
is an answer the state does not allow, e.g. a reply to a replied or withdrawn suggestion.
"""

from __future__ import annotations

from datetime import datetime

from court.domain.errors import IllegalTransition, UnknownAssignment
from court.domain.record import text
from court.domain.suggestion import JudicialSuggestion, Reply
from court.domain.suggestion import SuggestionStatus as G
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
)
from fengqiao.contracts.orders import Notice

Answer = CaseAccepted | CaseProgressed | CaseFeedback | CaseReturned


def on_accepted(
    suggestion: JudicialSuggestion, event: CaseAccepted, *, sender: str, now: datetime
) -> None:
    """签收: the department took the suggestion on."""
    _require_addressee(suggestion, event, sender)
    suggestion.move(G.ACCEPTED, at=now, actor=f"{sender} {event.handler}", note="签收")
    suggestion.accepted_at, suggestion.handler = event.accepted_at, event.handler


def on_progressed(
    suggestion: JudicialSuggestion, event: CaseProgressed, *, sender: str, now: datetime
) -> None:
    """进展: the department reports what it is doing; kept while the reply is awaited."""
    _require_addressee(suggestion, event, sender)
    if suggestion.status not in {G.ISSUED, G.ACCEPTED}:
        raise IllegalTransition(f"{suggestion.id} is {suggestion.status.value}: no progress now")
    suggestion.log(at=now, actor=sender, note=event.note)


def on_reply(
    suggestion: JudicialSuggestion, event: CaseFeedback, *, sender: str, now: datetime
) -> None:
    """回复: the department's feedback is its reply; it is kept whole and ends the tracking."""
    _require_addressee(suggestion, event, sender)
    suggestion.move(G.REPLIED, at=now, actor=sender, note=f"{event.outcome.zh}: {event.summary}")
    suggestion.reply = Reply(
        at=event.at,
        received_at=now,
        outcome=event.outcome,
        summary=event.summary,
        documents=list(event.documents),
    )


def on_returned(
    suggestion: JudicialSuggestion, event: CaseReturned, *, sender: str, now: datetime
) -> None:
    """退回: the department gave it back unaccepted (e.g. not its remit); the court may reissue."""
    _require_addressee(suggestion, event, sender)
    note = f"{event.reason_code}: {event.reason}"
    suggestion.move(G.RETURNED, at=now, actor=sender, note=note)
    suggestion.returned_reason = note


def withdraw(
    suggestion: JudicialSuggestion, *, reason: str, by: str, now: datetime
) -> list[Notice]:
    """撤回: the court withdraws an unanswered suggestion; the department closes its part."""
    suggestion.check(G.WITHDRAWN, at=now)
    reason = text(reason, "the reason for withdrawal")
    suggestion.move(G.WITHDRAWN, at=now, actor=by, note=reason)
    suggestion.withdrawn_at, suggestion.withdraw_reason = now, reason
    closed = CaseClosed(
        case_id=suggestion.id,
        closed_at=now,
        outcome=Outcome.UNRESOLVED,
        summary=f"司法建议已撤回: {reason}",
    )
    return [Notice(suggestion.department, closed)]


def _require_addressee(suggestion: JudicialSuggestion, event: Answer, sender: str) -> None:
    if (
        sender != suggestion.department
        or event.case_id != suggestion.id
        or event.assignment_id != suggestion.assignment_id
    ):
        raise UnknownAssignment(
            f"suggestion {suggestion.id} went to {suggestion.department} as "
            f"{suggestion.assignment_id}; not {sender}'s {event.assignment_id}"
        )
