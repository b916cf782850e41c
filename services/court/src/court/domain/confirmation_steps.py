"""The steps of a judicial confirmation (司法确认) and what each owes the justice office.

签收 ``case.accepted`` at acceptance, 进展 ``case.progressed`` for each review note, 反馈
``case.feedback`` with the ruling (民事裁定书) when confirmed or refused, or 退回
``case.returned`` before acceptance. All go to the order's sender; the hub hears of the ruling
from the justice office, not from here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from court.domain.case_numbers import CaseKind, case_number, year_in_china
from court.domain.confirmation import DECISION_LIMIT, JudicialConfirmation
from court.domain.confirmation import ConfirmationStatus as C
from court.domain.errors import IncompleteAgreement, InvalidRequest
from court.domain.record import text
from court.domain.returns import ReturnReason
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import DocumentRef
from fengqiao.contracts.orders import Notice


def accept(
    request: JudicialConfirmation,
    *,
    by: str,
    now: datetime,
    time_limit: timedelta = DECISION_LIMIT,
    judge_id: str | None = None,
) -> list[Notice]:
    """受理: the judge (``by``, staff id ``judge_id``) takes the request on; the decision is
    due after ``time_limit``.

    A request without an agreement to confirm is refused (IncompleteAgreement): return it.
    """
    request.check(C.ACCEPTED, at=now)
    if request.defects:
        raise IncompleteAgreement(f"{request.id} lacks " + "; ".join(request.defects))
    if time_limit <= timedelta(0):
        raise InvalidRequest("the decision time limit must be positive")
    request.move(C.ACCEPTED, at=now, actor=by, note="受理")
    request.accepted_at, request.judge, request.judge_id = now, by, judge_id
    request.decision_due_at = now + time_limit
    return [request.order.accepted(handler=f"{request.court.name} {by}", at=now)]


def return_request(
    request: JudicialConfirmation,
    *,
    reason: ReturnReason,
    by: str,
    now: datetime,
    detail: str | None = None,
) -> list[Notice]:
    """退回 (不予受理): a request the court does not take on goes back, before acceptance."""
    request.check(C.RETURNED, at=now)
    why = detail.strip() if detail and detail.strip() else reason.zh
    request.move(C.RETURNED, at=now, actor=by, note=f"{reason.value}: {why}")
    request.returned_at = now
    request.return_reason_code, request.return_reason = reason.value, why
    return [request.order.returned(reason_code=reason.value, reason=why, at=now)]


def review(request: JudicialConfirmation, *, note: str, by: str, now: datetime) -> list[Notice]:
    """审查: a note of the review (hearing the parties, checking the agreement)."""
    note = text(note, "a review note")
    request.move(C.UNDER_REVIEW, at=now, actor=by, note=note)
    return [request.order.progressed(note=f"审查: {note}", at=now)]


def confirm(request: JudicialConfirmation, *, seq: int, by: str, now: datetime) -> list[Notice]:
    """裁定确认调解协议有效: the ruling (民特, sequence ``seq``) goes back to the sender."""
    request.check(C.CONFIRMED, at=now)
    number = _ruling_number(request, seq, now)
    request.move(C.CONFIRMED, at=now, actor=by, note=number)
    request.ruling_number, request.decided_at = number, now
    return [
        request.order.feedback(
            outcome=Outcome.RESOLVED,
            summary=f"裁定确认调解协议有效: {number}",
            at=now,
            documents=[_ruling(number)],
        )
    ]


def refuse(
    request: JudicialConfirmation, *, reason: str, seq: int, by: str, now: datetime
) -> list[Notice]:
    """裁定驳回申请: the agreement is not confirmed, with the reason and the ruling."""
    request.check(C.REFUSED, at=now)
    reason = text(reason, "the reason for refusal")
    number = _ruling_number(request, seq, now)
    request.move(C.REFUSED, at=now, actor=by, note=f"{reason} {number}")
    request.ruling_number, request.decided_at, request.refusal_reason = number, now, reason
    return [
        request.order.feedback(
            outcome=Outcome.UNRESOLVED,
            summary=f"裁定驳回申请: {reason} {number}",
            at=now,
            documents=[_ruling(number)],
        )
    ]


def _ruling_number(request: JudicialConfirmation, seq: int, now: datetime) -> str:
    return case_number(CaseKind.CIVIL_SPECIAL, seq, year=year_in_china(now), court=request.court)


def _ruling(number: str) -> DocumentRef:
    return DocumentRef(title=f"民事裁定书 {number}", uri=f"court://rulings/{number}")
