"""The record every court matter keeps (流程记录): a table of allowed steps and each step taken.

A step is checked whole before anything changes: the table must allow it and it may not be
dated before the step it follows, so a refused step leaves the matter as it was.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from court.domain.errors import IllegalTransition, InvalidRequest, TimeOutOfOrder
from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import Clock, CodeList

StatusT = TypeVar("StatusT", bound=CodeList)


class Entry(BaseModel, Generic[StatusT]):
    """One step on the record: when, the status after it, who acted, and why."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    status: StatusT
    actor: str
    note: str | None = None


class Tracked(Aggregate, Generic[StatusT]):
    """A stored matter that moves through ``table()`` and keeps every step in ``history``."""

    status: StatusT
    received_at: datetime
    history: list[Entry[StatusT]] = Field(default_factory=list)

    @abstractmethod
    def table(self) -> Mapping[StatusT, frozenset[StatusT]]:
        """The allowed steps: from each status, the statuses it may become."""

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

    def check(self, to: StatusT, *, at: datetime) -> None:
        """Refuse, before anything changes, a step the table or the clock does not allow."""
        if to not in self.table()[self.status]:
            raise IllegalTransition(
                f"{self.id} is {self.status.value}; it cannot become {to.value}"
            )
        self.check_time(at)

    def check_time(self, at: datetime) -> None:
        last = self.history[-1].at if self.history else self.received_at
        if at < last:
            raise TimeOutOfOrder(f"{self.id}: a step at {at.isoformat()} is before {last}")

    def move(self, to: StatusT, *, at: datetime, actor: str, note: str | None = None) -> None:
        self.check(to, at=at)
        self.history.append(Entry(at=at, status=to, actor=actor, note=note))
        self.status = to

    def log(self, *, at: datetime, actor: str, note: str) -> None:
        """A step that leaves the status as it is (a note, an answer received)."""
        self.check_time(at)
        self.history.append(Entry(at=at, status=self.status, actor=actor, note=note))


def text(value: str, what: str) -> str:
    """A required free text, stripped; blank is refused."""
    stripped = value.strip()
    if not stripped:
        raise InvalidRequest(f"{what} may not be blank")
    return stripped
