"""The exchange's answers to the hub's transfers (pure): a receipt marks the order delivered;
a refusal (the force disabled, not allowed to take it…) hands it back for re-assessment at
once, instead of letting it wait, unseen, for its accept clock to run out."""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.events import ExchangeReceipt, ExchangeRejected
from intake.domain.assignment import Assignment, AssignmentStatus
from intake.domain.case import C, Case
from intake.domain.timeline import Step

TRANSFER = "case.transferred.v1"
EXCHANGE = "exchange"  # the actor on the timeline


def _awaiting(case: Case, agency: str | None) -> Assignment | None:
    """The order to ``agency`` that has not been answered yet (one per force per dispatch)."""
    return next(
        (a for a in case.assignments if a.agency == agency and a.status is AssignmentStatus.SENT),
        None,
    )


def delivered(case: Case, receipt: ExchangeReceipt, *, event_id: str) -> None:
    assignment = _awaiting(case, receipt.recipient)
    if receipt.original_type != TRANSFER or assignment is None or assignment.delivered_at:
        return
    assignment.delivered_at = receipt.delivered_at
    case.record(
        Step.DELIVERED,
        at=receipt.delivered_at,
        actor=EXCHANGE,
        assignment_id=assignment.id,
        reason=f"audit #{receipt.audit_sequence}",
        event_id=event_id,
    )


def undeliverable(case: Case, rejection: ExchangeRejected, *, at: datetime, event_id: str) -> None:
    assignment = _awaiting(case, rejection.recipient)
    if rejection.original_type != TRANSFER or assignment is None:
        return
    assignment.move(AssignmentStatus.RETURNED)
    assignment.returned_at = at
    assignment.return_reason_code = f"exchange.{rejection.reason_code}"
    assignment.return_reason = rejection.reason
    if case.status in (C.ASSESSED, C.DISPATCHED, C.AWAITING_VERIFICATION):
        case.status = C.REASSESSMENT
    case.record(
        Step.UNDELIVERABLE,
        at=at,
        actor=EXCHANGE,
        assignment_id=assignment.id,
        reason=f"{rejection.reason_code}: {rejection.reason}",
        event_id=event_id,
    )
