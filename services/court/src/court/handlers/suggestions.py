"""司法建议 commands: issue to a department and withdraw; and the department's answers to a
suggestion (``case.accepted/progressed/feedback/returned.v1``, whose ``case_id`` is the
suggestion's id), each applied once. One the rules refuse (unknown suggestion, wrong sender, a
reply to a withdrawn or replied one) goes to the DLQ."""

from __future__ import annotations

import uuid
from datetime import timedelta

from court.bootstrap import Tribunal
from court.domain import suggestion_replies
from court.domain.errors import DomainError
from court.domain.suggestion import JudicialSuggestion, issue
from court.handlers.matters import change
from fengqiao.contracts import Envelope
from fengqiao.contracts.codes import Category
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    Location,
)
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler

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


Answer = CaseAccepted | CaseProgressed | CaseFeedback | CaseReturned


def answer_suggestion(
    suggestion: JudicialSuggestion, answer: Answer, *, agency: str, tribunal: Tribunal
) -> None:
    now = tribunal.clock()
    if isinstance(answer, CaseAccepted):
        suggestion_replies.on_accepted(suggestion, answer, sender=agency, now=now)
    elif isinstance(answer, CaseProgressed):
        suggestion_replies.on_progressed(suggestion, answer, sender=agency, now=now)
    elif isinstance(answer, CaseFeedback):
        suggestion_replies.on_reply(suggestion, answer, sender=agency, now=now)
    else:
        suggestion_replies.on_returned(suggestion, answer, sender=agency, now=now)


def on_department_answer(tribunal: Tribunal) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        answer = envelope.payload()
        assert isinstance(answer, CaseAccepted | CaseProgressed | CaseFeedback | CaseReturned)
        agency = envelope.sender

        # Named apart from the module's change(): this one runs inside apply_once.
        def answered(
            current: JudicialSuggestion | None,
        ) -> tuple[JudicialSuggestion, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no judicial suggestion {answer.case_id} went to {agency}")
            try:
                answer_suggestion(current, answer, agency=agency, tribunal=tribunal)
            except DomainError as error:
                raise Rejected(str(error)) from None
            return current, []

        await apply_once(tribunal.stores.suggestions, answer.case_id, envelope.id, answered)

    return handle
