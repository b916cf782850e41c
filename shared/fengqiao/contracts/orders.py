"""An order (交办单) as the force that received it keeps it, and the answers it owes.

Every force answers an order the same way, in the order the sender's assignment expects:
签收 ``case.accepted``, 进展 ``case.progressed``, 反馈 ``case.feedback``, or 退回
``case.returned`` before acceptance. Domain steps return ``Notice`` values — what to send
to whom — and the service layer puts them into the outbox of the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from fengqiao.contracts.codes import Action, Outcome
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
    DocumentRef,
)
from fengqiao.contracts.registry import EventData

HUB = "intake"  # the hub's agency id: the usual sender of orders


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

    def _notice(self, kind: type[EventData], **fields: object) -> Notice:
        data = kind.model_validate(
            {"case_id": self.case_id, "assignment_id": self.assignment_id, **fields}
        )
        return Notice(self.sender, data)
