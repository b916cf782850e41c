"""The gateway's answers to the hub's transfers: a receipt marks the order delivered, a refusal
hands it straight back for re-assessment with the exchange's reason."""

from __future__ import annotations

from datetime import timedelta

from builders import T0, assess_and_dispatch, by_agency, new_case
from fengqiao.contracts.codes import Category
from fengqiao.contracts.events import ExchangeReceipt, ExchangeRejected
from intake.domain import exchange
from intake.domain.assignment import AssignmentStatus
from intake.domain.case import CaseStatus
from intake.domain.timeline import Step


def receipt(recipient: str, original: str = "case.transferred.v1") -> ExchangeReceipt:
    return ExchangeReceipt(
        event_id="e-1",
        original_type=original,
        recipient=recipient,
        delivered_at=T0 + timedelta(seconds=2),
        audit_sequence=41,
        audit_hash="a" * 64,
    )


def refusal(recipient: str, original: str = "case.transferred.v1") -> ExchangeRejected:
    return ExchangeRejected(
        event_id="e-1",
        original_type=original,
        recipient=recipient,
        reason_code="agency_disabled",
        reason=f"agency {recipient} is disabled",
    )


def test_a_receipt_marks_the_transfer_delivered_once() -> None:
    case = new_case(Category.THEFT)
    force = assess_and_dispatch(case, now=T0)[0].recipient
    exchange.delivered(case, receipt(force), event_id="r-1")
    exchange.delivered(case, receipt(force), event_id="r-2")  # e.g. a second transfer's receipt
    assignment = by_agency(case, force)
    assert assignment.delivered_at == T0 + timedelta(seconds=2)
    assert assignment.status is AssignmentStatus.SENT  # delivered is not accepted
    delivered = [e for e in case.timeline if e.step is Step.DELIVERED]
    assert len(delivered) == 1 and delivered[0].assignment_id == assignment.id
    assert delivered[0].reason == "audit #41"


def test_a_refused_transfer_goes_back_for_reassessment_with_the_reason() -> None:
    case = new_case(Category.THEFT)
    force = assess_and_dispatch(case, now=T0)[0].recipient
    assignment = by_agency(case, force)
    exchange.undeliverable(case, refusal(force), at=T0 + timedelta(seconds=3), event_id="x-1")
    assert assignment.status is AssignmentStatus.RETURNED
    assert assignment.return_reason_code == "exchange.agency_disabled"
    assert case.status is CaseStatus.REASSESSMENT
    assert case.timeline[-1].step is Step.UNDELIVERABLE
    assert "disabled" in (case.timeline[-1].reason or "")


def test_answers_about_other_events_or_forces_change_nothing() -> None:
    case = new_case(Category.THEFT)
    force = assess_and_dispatch(case, now=T0)[0].recipient
    before = case.model_dump()
    exchange.delivered(case, receipt(force, original="case.supervised.v1"), event_id="r")
    exchange.undeliverable(case, refusal("someone-else"), at=T0, event_id="x")
    exchange.undeliverable(case, refusal(force, original="case.closed.v1"), at=T0, event_id="y")
    assert case.model_dump() == before
