"""检察建议: issuing one on a supervision case, its reminders (催告), and the department's
answers (``case.accepted/progressed/feedback.v1``, whose ``case_id`` is the suggestion's id),
each applied once on the suggestion; a feedback (the written reply) is then recorded on the
suggestion's supervision case too, applied once there under the same event id, and the hub
hears of it. An answer the rules refuse is rejected to the DLQ with the reason."""

from __future__ import annotations

from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseAccepted, CaseFeedback, CaseProgressed
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from fengqiao.storage import retry_on_conflict
from procuratorate.bootstrap import Procuratorate
from procuratorate.domain import reminders, suggesting, supervising
from procuratorate.domain.errors import DomainError
from procuratorate.domain.suggestion import Suggestion
from procuratorate.domain.supervision import SupervisionCase

Answer = CaseAccepted | CaseProgressed | CaseFeedback


def suggestion_id_for(case_id: str) -> str:
    """One case, one suggestion: a retried or racing request lands on the same id."""
    return f"{case_id}-jy"


async def issue_suggestion(
    proc: Procuratorate,
    *,
    case_id: str,
    draft: suggesting.SuggestionDraft,
    by: str,
    reply_months: int,
    attempts: int = 10,
) -> tuple[SupervisionCase, Suggestion]:
    """制发检察建议: the suggestion (with the department's order) is saved first, then the case
    (with the hub's progress note). A crash between the two is mended by the next attempt: it
    finds the suggestion and only records it on the case; it is never sent twice."""
    stores, sid = proc.stores, suggestion_id_for(case_id)

    async def attempt() -> tuple[SupervisionCase, Suggestion]:
        case = await stores.cases.get(case_id)
        if case.suggestion_id == sid:
            return case, await stores.suggestions.get(sid)
        now = proc.clock()
        suggestion = await stores.suggestions.find(sid)
        to_department: list[Notice] = []
        if suggestion is None:
            suggestion, to_department = suggesting.issue(
                sid,
                draft,
                category=case.category,
                location=case.location,
                by=by,
                now=now,
                case_id=case.id,
                reply_months=reply_months,
            )
        to_hub = supervising.record_issue(case, suggestion, by=by, now=now)  # refuses first
        if to_department:
            events = proc.outgoing(sid, to_department, None)
            suggestion = await stores.suggestions.add(suggestion, events)
        case = await stores.cases.save(case, proc.outgoing(case.id, to_hub, None))
        return case, suggestion

    return await retry_on_conflict(attempt, what=f"case {case_id}", attempts=attempts)


async def remind(proc: Procuratorate, *, suggestion_id: str, attempts: int = 10) -> int:
    """催告: the reminders due on one suggestion, sent once; how many went."""

    async def attempt() -> int:
        suggestion = await proc.stores.suggestions.get(suggestion_id)
        notices = reminders.remind(suggestion, now=proc.clock(), level=proc.settings.reminder_level)
        if not notices:
            return 0  # sent already (by another pass or replica), or nothing is due
        events = proc.outgoing(suggestion.id, notices, None)
        await proc.stores.suggestions.save(suggestion, events)
        return len(notices)

    return await retry_on_conflict(attempt, what=f"suggestion {suggestion_id}", attempts=attempts)


def on_department_answer(proc: Procuratorate) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        answer = envelope.payload()
        assert isinstance(answer, Answer)
        agency = envelope.sender

        def change(current: Suggestion | None) -> tuple[Suggestion, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no suggestion {answer.case_id} awaits an answer from {agency}")
            try:
                take(current, answer, agency, proc)
            except DomainError as error:
                raise Rejected(str(error)) from None
            return current, []

        await apply_once(proc.stores.suggestions, answer.case_id, envelope.id, change)
        if isinstance(answer, CaseFeedback):
            # Also on a redelivery: the first delivery may have stopped before this step.
            await record_reply(proc, answer.case_id, envelope)

    return handle


def take(suggestion: Suggestion, answer: Answer, agency: str, proc: Procuratorate) -> None:
    now = proc.clock()
    if isinstance(answer, CaseAccepted):
        suggesting.on_accepted(suggestion, answer, sender=agency, now=now)
    elif isinstance(answer, CaseProgressed):
        suggesting.on_progressed(suggestion, answer, sender=agency, now=now)
    else:
        suggesting.on_feedback(suggestion, answer, sender=agency, now=now)


async def record_reply(proc: Procuratorate, suggestion_id: str, envelope: Envelope) -> None:
    """部门回复 on the supervision case the suggestion was issued on, if any."""
    suggestion = await proc.stores.suggestions.get(suggestion_id)
    if suggestion.case_id is None:
        return

    def change(current: SupervisionCase | None) -> tuple[SupervisionCase, list[OutboxMessage]]:
        if current is None:
            raise Rejected(f"suggestion {suggestion.id}: no case {suggestion.case_id}")
        try:
            notices = supervising.record_reply(current, suggestion, now=proc.clock())
        except DomainError as error:
            raise Rejected(str(error)) from None
        return current, proc.outgoing(current.id, notices, envelope.id)

    await apply_once(proc.stores.cases, suggestion.case_id, envelope.id, change)
