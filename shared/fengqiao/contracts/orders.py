"""An order (交办单) as the force that received it keeps it, and the answers it owes.

Every force answers an order the same way, in the order the sender's assignment expects:
签收 ``case.accepted``, 进展 ``case.progressed``, 反馈 ``case.feedback``, or 退回
``case.returned`` before acceptance. Domain steps return ``Notice`` values — what to send
to whom — and the service layer puts them into the outbox of the same commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from fengqiao.contracts.codes import Action, Outcome
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseEscalated,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseSupervised,
    CaseTransferred,
    DocumentRef,
)
from fengqiao.contracts.registry import EventData

HUB = "intake"  # the hub's agency id: the usual sender of orders
# What an order's sender may say about its own case afterwards: 督办, 提级督办, 结案.
SenderNotice = CaseSupervised | CaseEscalated | CaseClosed
SENDER_NOTICES = ("case.supervised.v1", "case.escalated.v1", "case.closed.v1")


@dataclass(frozen=True)
class Notice:
    """An event a domain step owes ``recipient``; sent through the outbox."""

    recipient: str
    data: EventData


class Order(BaseModel):
    """What a force keeps of a ``case.transferred`` to answer it: ids, action and clocks.

    ``case_id`` is the sender's id for the matter (the hub's case, or e.g. the justice
    office's mediation when it asks the court for confirmation), so answers find it there.
    """

    model_config = ConfigDict(frozen=True)

    sender: str = HUB
    case_id: str
    assignment_id: str
    tracking_code: str | None = None
    action: Action
    accept_by: datetime
    due_at: datetime

    @classmethod
    def of(cls, event: CaseTransferred, *, sender: str) -> Order:
        return cls(
            sender=sender,
            case_id=event.case_id,
            assignment_id=event.assignment_id,
            tracking_code=event.tracking_code,
            action=event.action,
            accept_by=event.accept_by,
            due_at=event.due_at,
        )

    def accepted(self, *, handler: str, at: datetime) -> Notice:
        return self._notice(CaseAccepted, accepted_at=at, handler=handler[:100])

    def progressed(self, *, note: str, at: datetime) -> Notice:
        return self._notice(CaseProgressed, at=at, note=note[:5000])

    def feedback(
        self,
        *,
        outcome: Outcome,
        summary: str,
        at: datetime,
        documents: list[DocumentRef] | None = None,
    ) -> Notice:
        return self._notice(
            CaseFeedback,
            at=at,
            outcome=outcome,
            summary=summary[:10_000],
            documents=documents or [],
        )

    def returned(self, *, reason_code: str, reason: str, at: datetime) -> Notice:
        return self._notice(
            CaseReturned, returned_at=at, reason_code=reason_code[:60], reason=reason[:2000]
        )

    def concerns(self, notice: SenderNotice, *, sender: str) -> bool:
        """Whether the sender's notice is about this order (its case, and its assignment when
        the notice names one)."""
        if sender != self.sender or notice.case_id != self.case_id:
            return False
        named = named_assignments(notice)
        return named is None or self.assignment_id in named

    def _notice(self, kind: type[EventData], **fields: object) -> Notice:
        data = kind.model_validate(
            {"case_id": self.case_id, "assignment_id": self.assignment_id, **fields}
        )
        return Notice(self.sender, data)


def named_assignments(notice: SenderNotice) -> list[str] | None:
    """The sender's assignments a notice is about when it names them — one (a card, an
    escalation of an assignment) or the recipient's all (a closure); None when it concerns
    every order of the case (a case-level card, a closure from a sender that does not list)."""
    if isinstance(notice, CaseClosed):
        return list(notice.assignment_ids) or None
    return None if notice.assignment_id is None else [notice.assignment_id]


def notice_line(notice: SenderNotice) -> str:
    """The line a force's record keeps of its sender's notice, in the words its staff read."""
    if isinstance(notice, CaseSupervised):
        return f"{notice.card.zh}({notice.clock.zh}, {notice.level.zh}): {notice.notice}"[:5000]
    if isinstance(notice, CaseEscalated):
        leader = f", 包案领导 {notice.leader}" if notice.leader else ""
        return f"提级督办 {notice.from_level.zh}→{notice.to_level.zh}: {notice.reason}{leader}"[
            :5000
        ]
    return f"结案({notice.outcome.zh}): {notice.summary}"[:5000]


def order_id(agency: str, assignment_id: str) -> str:
    """The id of what an order becomes at the force that takes it (a task, an incident, a
    matter, a mediation): one order, one record, so redeliveries and resends land on the same id.
    """
    return hashlib.sha256(f"{agency}\n{assignment_id}".encode()).hexdigest()[:20]
