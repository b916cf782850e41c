"""司法确认: the justice office asks the court to give a people's mediation agreement the force
of a ruling. The order's ``case_id`` is the office's mediation id; its parties and summary
carry the agreement.

requested → accepted (受理) → under review (审查) → confirmed (裁定确认有效) | refused (裁定驳回);
a request not accepted (e.g. outside jurisdiction, or no agreement to confirm) is returned
(退回). The decision is due 15 days after acceptance by default; acceptance is due by the
order's accept-by. ``confirmation_steps`` moves it; every answer goes back to the justice
office, which forwards the ruling to the hub.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import Field

from court.domain.case_numbers import DUHU, Court
from court.domain.errors import UnsupportedAction
from court.domain.record import Tracked
from fengqiao.contracts.codes import Action, Category, CodeList
from fengqiao.contracts.events import CaseTransferred, Location, Party
from fengqiao.contracts.orders import Order
from fengqiao.workflow import Entry

DECISION_LIMIT = timedelta(days=15)  # 司法确认: decided within fifteen days of acceptance
JUSTICE = "justice"  # the justice office's agency id: the usual sender of these requests


class ConfirmationStatus(CodeList):
    REQUESTED = ("requested", "已申请", "requested")
    ACCEPTED = ("accepted", "已受理", "accepted")
    UNDER_REVIEW = ("under_review", "审查中", "under review")
    CONFIRMED = ("confirmed", "已裁定确认", "confirmed by ruling")
    REFUSED = ("refused", "已裁定驳回", "refused by ruling")
    RETURNED = ("returned", "已退回", "returned to the sender")


C = ConfirmationStatus
ALLOWED: dict[ConfirmationStatus, frozenset[ConfirmationStatus]] = {
    C.REQUESTED: frozenset({C.ACCEPTED, C.RETURNED}),
    C.ACCEPTED: frozenset({C.UNDER_REVIEW}),
    C.UNDER_REVIEW: frozenset({C.UNDER_REVIEW, C.CONFIRMED, C.REFUSED}),
    C.CONFIRMED: frozenset(),
    C.REFUSED: frozenset(),
    C.RETURNED: frozenset(),
}
OPEN = frozenset({C.ACCEPTED, C.UNDER_REVIEW})


class JudicialConfirmation(Tracked[ConfirmationStatus]):
    """One request; its id is the sender's assignment id unless the caller names one."""

    order: Order
    court: Court = DUHU
    category: Category
    title: str
    agreement: str = Field(description="the agreement as the request carries it")
    committee: str | None = Field(default=None, description="调委会 that mediated it")
    location: Location
    parties: list[Party] = Field(default_factory=list, description="PII: seal at rest")
    status: ConfirmationStatus = C.REQUESTED
    history: list[Entry[ConfirmationStatus]] = Field(default_factory=list)
    accepted_at: datetime | None = None
    judge: str | None = None
    judge_id: str | None = Field(default=None, description="the judge's staff id: sees parties")
    decision_due_at: datetime | None = None
    ruling_number: str | None = Field(default=None, description="民特 number of the ruling")
    decided_at: datetime | None = None
    refusal_reason: str | None = None
    returned_at: datetime | None = None
    return_reason_code: str | None = None
    return_reason: str | None = None

    def table(self) -> Mapping[ConfirmationStatus, frozenset[ConfirmationStatus]]:
        return ALLOWED

    @property
    def mediation_id(self) -> str:
        """The justice office's id for the mediation whose agreement this is."""
        return self.order.case_id

    @property
    def defects(self) -> list[str]:
        """What the request lacks to be accepted: an agreement, and parties on both sides."""
        missing = [] if self.agreement.strip() else ["the agreement's content (summary)"]
        if len(self.parties) < 2:
            missing.append("at least two parties, who apply together")
        return missing

    def overdue(self, now: datetime) -> bool:
        """超期: accepted but not decided within the time limit."""
        return (
            self.status in OPEN and self.decision_due_at is not None and now > self.decision_due_at
        )

    def acceptance_overdue(self, now: datetime) -> bool:
        """Neither accepted nor returned by the order's accept-by time."""
        return self.status is C.REQUESTED and now > self.order.accept_by


def receive(
    event: CaseTransferred,
    *,
    now: datetime,
    sender: str = JUSTICE,
    court: Court = DUHU,
    confirmation_id: str | None = None,
) -> JudicialConfirmation:
    """收到申请: a confirmation request is recorded as it came; ``accept`` checks its content."""
    if event.action is not Action.CONFIRM:
        raise UnsupportedAction(
            f"order {event.assignment_id} asks for {event.action.value}, not {Action.CONFIRM.value}"
        )
    return JudicialConfirmation(
        id=confirmation_id or event.assignment_id,
        order=Order.of(event, sender=sender),
        court=court,
        category=event.category,
        title=event.title,
        agreement=event.summary,
        committee=event.unit,
        location=event.location,
        parties=list(event.parties),
        received_at=now,
        history=[Entry(at=now, status=C.REQUESTED, actor=sender, note=event.title or None)],
    )
