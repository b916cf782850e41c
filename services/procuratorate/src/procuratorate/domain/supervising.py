"""监督办案: the steps on a supervision case and what each owes the hub for its referral —
签收 at acceptance, 进展 at investigation, at the suggestion and at the department's reply,
反馈 at closure; or 退回 before acceptance. A referral outside the procuratorate's fields or
actions is refused at receipt and goes back to the hub with the error's reason code.
"""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.events import CaseTransferred
from fengqiao.contracts.orders import HUB, Notice, Order
from procuratorate.domain import suggesting
from procuratorate.domain.errors import DomainError, IllegalTransition, NotAddressee
from procuratorate.domain.suggestion import REPLY_MONTHS, Suggestion, SuggestionStatus
from procuratorate.domain.supervision import (
    OUTCOMES,
    Finding,
    SupervisionCase,
    check_action,
    field_for,
)
from procuratorate.domain.supervision import SupervisionStatus as S
from procuratorate.domain.workflow import require_text


def receive(
    case_id: str, event: CaseTransferred, *, now: datetime, sender: str = HUB
) -> SupervisionCase:
    """接收移送: a referral becomes a supervision case; refused (422) outside its fields."""
    check_action(event.action)
    case = SupervisionCase(
        id=case_id,
        order=Order.of(event, sender=sender),
        field=field_for(event.category),
        category=event.category,
        severity=event.severity,
        title=event.title,
        summary=event.summary,
        location=event.location,
        parties=list(event.parties),
        received_at=now,
    )
    case.log(at=now, actor=sender, note=case.field.zh)
    return case


def refusal(
    event: CaseTransferred, error: DomainError, *, now: datetime, sender: str = HUB
) -> list[Notice]:
    """退回 a referral refused at receipt (no case was made), with the error's reason code."""
    order = Order.of(event, sender=sender)
    return [order.returned(reason_code=error.reason_code, reason=str(error) or "refused", at=now)]


def accept(case: SupervisionCase, *, handler: str, now: datetime) -> list[Notice]:
    """受理: the procuratorate takes the referral on and names the prosecutor handling it."""
    case.move(S.ACCEPTED, at=now, actor=handler, note="受理")
    case.accepted_at, case.handler = now, handler
    return [case.order.accepted(handler=handler, at=now)]


def return_to_hub(
    case: SupervisionCase, *, reason_code: str, reason: str, by: str, now: datetime
) -> list[Notice]:
    """退回: a referral that is not procuratorial business goes back, before acceptance."""
    code, why = require_text(reason_code, "the reason code"), require_text(reason, "the reason")
    case.move(S.RETURNED, at=now, actor=by, note=f"{code}: {why}")
    case.return_reason_code, case.return_reason = code, why
    return [case.order.returned(reason_code=code, reason=why, at=now)]


def investigate(case: SupervisionCase, *, by: str, now: datetime, note: str) -> list[Notice]:
    """调查核实: a note on the inquiry; the first one starts the investigation."""
    note = require_text(note, "the investigation note")
    if case.status is S.INVESTIGATING:
        case.log(at=now, actor=by, note=note)
    else:
        case.move(S.INVESTIGATING, at=now, actor=by, note=note)
    return [case.order.progressed(note=f"调查核实: {note}", at=now)]


def issue_suggestion(
    case: SupervisionCase,
    suggestion_id: str,
    draft: suggesting.SuggestionDraft,
    *,
    by: str,
    now: datetime,
    reply_months: int = REPLY_MONTHS,
) -> tuple[Suggestion, list[Notice]]:
    """制发检察建议 on the case: the hub is told, the department gets the suggestion's order."""
    case.require(S.SUGGESTION_ISSUED)
    case.check_time(now)
    suggestion, to_department = suggesting.issue(
        suggestion_id,
        draft,
        category=case.category,
        location=case.location,
        by=by,
        now=now,
        case_id=case.id,
        reply_months=reply_months,
    )
    return suggestion, [*record_issue(case, suggestion, by=by, now=now), *to_department]


def record_issue(
    case: SupervisionCase, suggestion: Suggestion, *, by: str, now: datetime
) -> list[Notice]:
    """已发检察建议: the case records a suggestion issued on it; the hub is told."""
    if suggestion.case_id != case.id:
        raise NotAddressee(f"suggestion {suggestion.id} was not issued on case {case.id}")
    case.require(S.SUGGESTION_ISSUED)
    case.check_time(now)
    s = suggestion
    note = f"已向{s.department}发出检察建议《{s.subject}》, 回复期限{s.reply_due_on}"
    case.move(S.SUGGESTION_ISSUED, at=now, actor=by, note=note)
    case.suggestion_id = suggestion.id
    return [case.order.progressed(note=note, at=now)]


def record_reply(case: SupervisionCase, suggestion: Suggestion, *, now: datetime) -> list[Notice]:
    """部门回复: the department's reply to the case's suggestion goes on the case."""
    if suggestion.id != case.suggestion_id:
        raise NotAddressee(f"suggestion {suggestion.id} is not the one case {case.id} issued")
    reply = suggestion.reply
    if reply is None or suggestion.status not in (
        SuggestionStatus.REPLIED,
        SuggestionStatus.CLOSED,
    ):
        raise IllegalTransition(f"suggestion {suggestion.id} has no reply to record")
    note = f"部门回复: {reply.content}"
    case.move(S.REPLIED, at=now, actor=suggestion.department, note=note)
    case.reply, case.rectified = reply.content, reply.rectified
    return [case.order.progressed(note=note, at=now)]


def close(case: SupervisionCase, *, by: str, now: datetime, summary: str) -> list[Notice]:
    """办结: after the reply, or straight from the investigation when no violation is found."""
    summary = require_text(summary, "the closing summary")
    case.require(S.CLOSED)
    if case.status is S.INVESTIGATING:
        finding = Finding.NO_VIOLATION
    else:
        finding = Finding.RECTIFIED if case.rectified else Finding.NOT_RECTIFIED
    outcome = OUTCOMES[finding]
    case.move(S.CLOSED, at=now, actor=by, note=f"{finding.zh}: {summary}")
    case.closed_at, case.finding, case.outcome, case.closing_summary = (
        now,
        finding,
        outcome,
        summary,
    )
    return [case.order.feedback(outcome=outcome, summary=summary, at=now)]
