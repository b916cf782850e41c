"""诉前调解: a civil dispute the hub diverts to the court's mediators before any filing.

received → accepted → mediating → mediated, or → failed → filed (立案 for trial); a received
order may instead be returned (退回), e.g. when rights and duties are not clear. A party may
refuse to mediate at all, so failure may also come straight after acceptance. The mediation
has a time limit (30 days from acceptance by default); ``prelitigation_steps`` moves it and
says what each step owes the hub.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from pydantic import Field

from court.domain.case_numbers import DUHU, Court
from court.domain.errors import UnsupportedAction
from court.domain.record import Tracked
from fengqiao.contracts.codes import Action, Category, CodeList, Severity
from fengqiao.contracts.events import CaseTransferred, Location, Party
from fengqiao.contracts.orders import HUB, Order
from fengqiao.workflow import Entry

MEDIATION_LIMIT = timedelta(days=30)  # 诉前调解期限: thirty days from acceptance


class MediationStatus(CodeList):
    RECEIVED = ("received", "已收到", "received")
    ACCEPTED = ("accepted", "已受理", "accepted")
    MEDIATING = ("mediating", "调解中", "mediating")
    MEDIATED = ("mediated", "调解成功", "mediated")
    FAILED = ("failed", "调解不成", "failed")
    FILED = ("filed", "已立案", "filed for trial")
    RETURNED = ("returned", "已退回", "returned to the sender")


M = MediationStatus
ALLOWED: dict[MediationStatus, frozenset[MediationStatus]] = {
    M.RECEIVED: frozenset({M.ACCEPTED, M.RETURNED}),
    M.ACCEPTED: frozenset({M.MEDIATING, M.FAILED}),
    M.MEDIATING: frozenset({M.MEDIATING, M.MEDIATED, M.FAILED}),
    M.MEDIATED: frozenset(),
    M.FAILED: frozenset({M.FILED}),
    M.FILED: frozenset(),
    M.RETURNED: frozenset(),
}
OPEN = frozenset({M.ACCEPTED, M.MEDIATING})  # a mediator is at work: counts in their load


class PreLitigationMediation(Tracked[MediationStatus]):
    """One diverted dispute; its id is the hub's assignment id unless the caller names one."""

    order: Order
    court: Court = DUHU
    category: Category
    severity: Severity
    title: str
    summary: str
    location: Location
    parties: list[Party] = Field(default_factory=list, description="PII: seal at rest")
    status: MediationStatus = M.RECEIVED
    history: list[Entry[MediationStatus]] = Field(default_factory=list)
    accepted_at: datetime | None = None
    mediator_id: str | None = None
    mediator: str | None = Field(default=None, description="the mediator's label, as told")
    number: str | None = Field(default=None, description="诉前调 number, given at acceptance")
    due_at: datetime | None = Field(default=None, description="end of the mediation time limit")
    terms: str | None = Field(default=None, description="the agreement's terms")
    confirmation_number: str | None = Field(default=None, description="民特 number if confirmed")
    failure_reason: str | None = None
    ended_at: datetime | None = Field(default=None, description="mediated or failed")
    case_number: str | None = Field(default=None, description="民初 number at filing")
    filed_on: date | None = None
    returned_at: datetime | None = None
    return_reason_code: str | None = None
    return_reason: str | None = None

    def table(self) -> Mapping[MediationStatus, frozenset[MediationStatus]]:
        return ALLOWED

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def overdue(self, now: datetime) -> bool:
        """超期: still being mediated after the time limit."""
        return self.open and self.due_at is not None and now > self.due_at

    def acceptance_overdue(self, now: datetime) -> bool:
        """Not yet accepted (or returned) after the hub's accept-by time."""
        return self.status is M.RECEIVED and now > self.order.accept_by


def receive(
    event: CaseTransferred,
    *,
    now: datetime,
    sender: str = HUB,
    court: Court = DUHU,
    mediation_id: str | None = None,
) -> PreLitigationMediation:
    """收案: a hub order to mediate before litigation becomes a mediation in the court."""
    if event.action is not Action.PRE_LITIGATION_MEDIATION:
        raise UnsupportedAction(
            f"order {event.assignment_id} asks for {event.action.value}, "
            f"not {Action.PRE_LITIGATION_MEDIATION.value}"
        )
    return PreLitigationMediation(
        id=mediation_id or event.assignment_id,
        order=Order.of(event, sender=sender),
        court=court,
        category=event.category,
        severity=event.severity,
        title=event.title,
        summary=event.summary,
        location=event.location,
        parties=list(event.parties),
        received_at=now,
        history=[Entry(at=now, status=M.RECEIVED, actor=sender, note=event.title or None)],
    )
