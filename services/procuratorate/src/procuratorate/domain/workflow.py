"""The record every procuratorate aggregate keeps: a status moved by a table of allowed steps,
and a history (流水) of every step with its time, actor and note."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import CodeList
from procuratorate.domain.errors import IllegalTransition, InvalidRequest, TimeOutOfOrder

S = TypeVar("S", bound=CodeList)


class Entry(BaseModel, Generic[S]):
    """One step on the record: when, the status after it, who, and what happened."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    status: S
    actor: str
    note: str | None = None


class Workflow(Aggregate, Generic[S]):
    """An aggregate with a status table; subclasses give ``table()`` and a default status."""

    status: S
    history: list[Entry[S]] = Field(default_factory=list)

    @abstractmethod
    def table(self) -> Mapping[S, frozenset[S]]:
        """The allowed steps from each status."""

    def require(self, to: S) -> None:
        """Refuse, before anything changes, a step the table does not allow from here."""
        if to not in self.table()[self.status]:
            raise IllegalTransition(
                f"{type(self).__name__} {self.id} is {self.status.value}; "
                f"it cannot become {to.value}"
            )

    def require_in(self, *statuses: S, to: str) -> None:
        """Refuse a step that keeps the status but is only allowed in some of them."""
        if self.status not in statuses:
            raise IllegalTransition(
                f"{type(self).__name__} {self.id} is {self.status.value}; cannot {to}"
            )

    def check_time(self, at: datetime) -> None:
        """Refuse a step dated before the last one on the record."""
        if self.history and at < self.history[-1].at:
            raise TimeOutOfOrder(
                f"{type(self).__name__} {self.id}: a step at {at} is before {self.history[-1].at}"
            )

    def move(self, to: S, *, at: datetime, actor: str, note: str | None = None) -> None:
        self.require(to)
        self.log(at=at, actor=actor, note=note, status=to)
        self.status = to

    def log(
        self, *, at: datetime, actor: str, note: str | None = None, status: S | None = None
    ) -> None:
        self.check_time(at)
        self.history.append(Entry(at=at, status=status or self.status, actor=actor, note=note))


def require_aware(value: datetime, what: str) -> None:
    """Refuse a time without a zone: it cannot be compared with ``now`` (UTC)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidRequest(f"{what} needs a time zone: {value.isoformat()}")


def require_text(value: str, what: str) -> str:
    """Refuse blank text where a person must say something; return it stripped."""
    if not value.strip():
        raise InvalidRequest(f"{what} must not be blank")
    return value.strip()
