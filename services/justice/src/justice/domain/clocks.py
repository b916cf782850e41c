"""The clocks a mediation runs against (时限): the hub's 签收 and 办结 deadlines for its order.

The order is to be accepted by ``accept_by`` and answered with a 反馈 by ``due_at``. A mediation
waiting for the court's confirmation has not yet given its feedback, so the hub's clock still
runs; once the feedback is given, or the order returned, nothing is late any more. A walk-in
has no hub clocks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from justice.domain.mediation import Mediation
from justice.domain.mediation import MediationStatus as S


class Clocks(BaseModel):
    """时限: the hub's deadlines and whether one has passed unmet."""

    model_config = ConfigDict(frozen=True)

    accept_by: datetime | None = None
    due_at: datetime | None = None
    overdue: bool = False


def clocks(mediation: Mediation, now: datetime) -> Clocks:
    """时限: the mediation's deadlines now; ``overdue`` when the hub is kept waiting past one."""
    hub = mediation.hub
    if hub is None:
        return Clocks()
    return Clocks(accept_by=hub.accept_by, due_at=hub.due_at, overdue=is_overdue(mediation, now))


def is_overdue(mediation: Mediation, now: datetime) -> bool:
    """逾期: not accepted by ``accept_by``, or no feedback (nor return) by ``due_at``."""
    hub = mediation.hub
    if hub is None:
        return False
    late_to_accept = mediation.status is S.RECEIVED and now > hub.accept_by
    answered = mediation.hub_feedback_at is not None or mediation.status is S.RETURNED
    late_to_answer = not answered and now > hub.due_at
    return late_to_accept or late_to_answer


def overdue_query(now: datetime) -> dict[str, Any]:
    """The same rule as ``is_overdue``, as a store query on the stored mediation's fields."""
    return {
        "$or": [
            {"status": S.RECEIVED.value, "hub.accept_by": {"$lt": now}},
            {
                "hub_feedback_at": None,
                "status": {"$ne": S.RETURNED.value},
                "hub.due_at": {"$lt": now},
            },
        ]
    }
