"""A record that moves through a table of allowed steps and keeps each step taken (流程记录, 流水).

Pure: no I/O. A step is checked whole before anything changes: the table must allow it and it
may not be dated before the step it follows, so a refused step leaves the record as it was.
Refusals are ``IllegalTransition`` and ``TimeOutOfOrder``; a service whose refusals have their own
classes (and statuses, reason codes) names its subclasses of these in ``illegal_transition`` and
``time_out_of_order``, and the base raises those. A record whose steps keep a class of their own
(their own name and description in its API's schema) names its subclass of ``Entry`` in
``entry_type`` and declares ``history`` as a list of it; the stored steps are the same.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import CodeList

S = TypeVar("S", bound=CodeList)


class Refused(Exception):
    """A step the record's rules do not allow; nothing was changed."""


class IllegalTransition(Refused):
    """The record is not in a status that allows the step."""


class TimeOutOfOrder(Refused):
    """A step dated before the step it follows: the record would lie."""


class Entry(BaseModel, Generic[S]):
    """One step on the record: when, the status after it, who acted, and what happened."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    status: S
    actor: str
    note: str | None = None


class Workflow(Aggregate, Generic[S]):
    """An aggregate with a status moved by ``table()`` and every step kept in ``history``."""

    illegal_transition: ClassVar[type[IllegalTransition]] = IllegalTransition
    time_out_of_order: ClassVar[type[TimeOutOfOrder]] = TimeOutOfOrder
    entry_type: ClassVar[type[Entry[Any]]] = Entry

    status: S
    history: list[Entry[S]] = Field(default_factory=list)

    @abstractmethod
    def table(self) -> Mapping[S, frozenset[S]]:
        """The allowed steps: from each status, the statuses it may become."""

    def named(self) -> str:
        """How refusals name the record."""
        return f"{type(self).__name__} {self.id}"

    def began_at(self) -> datetime | None:
        """The time no step may come before while the history is empty (None: any time)."""
        return None

    def require(self, to: S) -> None:
        """Refuse, before anything changes, a step the table does not allow from here."""
        if to not in self.table()[self.status]:
            raise self.illegal_transition(
                f"{self.named()} is {self.status.value}; it cannot become {to.value}"
            )

    def require_in(self, *statuses: S, to: str) -> None:
        """Refuse a step that keeps the status but is only allowed in some of them."""
        if self.status not in statuses:
            raise self.illegal_transition(f"{self.named()} is {self.status.value}; cannot {to}")

    def check_time(self, at: datetime) -> None:
        """Refuse a step dated before the last one on the record (or before it began)."""
        last = self.history[-1].at if self.history else self.began_at()
        if last is not None and at < last:
            raise self.time_out_of_order(
                f"{self.named()}: a step at {at.isoformat()} is before {last.isoformat()}"
            )

    def check(self, to: S, *, at: datetime) -> None:
        """Refuse, before anything changes, a step the table or the clock does not allow."""
        self.require(to)
        self.check_time(at)

    def move(self, to: S, *, at: datetime, actor: str, note: str | None = None) -> None:
        """Take the step to ``to``, on the record."""
        self.check(to, at=at)
        self.history.append(self.entry_type(at=at, status=to, actor=actor, note=note))
        self.status = to

    def log(self, *, at: datetime, actor: str, note: str | None = None) -> None:
        """A step that leaves the status as it is (a note, an answer received)."""
        self.check_time(at)
        self.history.append(self.entry_type(at=at, status=self.status, actor=actor, note=note))
