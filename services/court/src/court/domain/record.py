"""The record every court matter keeps (流程记录): the library's workflow (a table of allowed
steps, each step taken checked whole before anything changes), refused with the court's errors,
with the time it was received and the court's clocks.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Generic, TypeVar

from court.domain.errors import IllegalTransition, InvalidRequest, TimeOutOfOrder
from fengqiao.contracts.codes import Clock, CodeList
from fengqiao.workflow import Workflow

StatusT = TypeVar("StatusT", bound=CodeList)


class Tracked(Workflow[StatusT], Generic[StatusT]):
    """A stored matter that moves through ``table()`` and keeps every step in ``history``; no
    step may be dated before it was received."""

    illegal_transition = IllegalTransition
    time_out_of_order = TimeOutOfOrder

    received_at: datetime

    def named(self) -> str:
        return self.id

    def began_at(self) -> datetime:
        return self.received_at

    @abstractmethod
    def overdue(self, now: datetime) -> bool:
        """超期: still open after the court's own time limit."""

    @abstractmethod
    def acceptance_overdue(self, now: datetime) -> bool:
        """Neither accepted nor returned by the order's accept-by time."""

    def late_clocks(self, now: datetime) -> list[Clock]:
        """The clocks that have run out, for supervision: accept, then finish."""
        late = [Clock.ACCEPT] if self.acceptance_overdue(now) else []
        return late + ([Clock.FINISH] if self.overdue(now) else [])


def text(value: str, what: str) -> str:
    """A required free text, stripped; blank is refused."""
    stripped = value.strip()
    if not stripped:
        raise InvalidRequest(f"{what} may not be blank")
    return stripped
