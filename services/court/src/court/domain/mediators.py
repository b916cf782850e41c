"""The court's mediators (特邀调解员 and 法官助理) and how one is chosen for a mediation.

The least loaded active mediator is chosen automatically; the clerk may name one instead (a
manual override, allowed past capacity). ``open_cases`` counts the mediator's mediations in
an open status (``prelitigation.OPEN``); the service keeps it, and ``accept`` adds one to the
mediator it chose so a caller holding the roster sees the new load.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from pydantic import Field

from court.domain.errors import MediatorUnavailable, NoMediatorAvailable, UnknownMediator
from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import CodeList


class MediatorRole(CodeList):
    INVITED = ("invited", "特邀调解员", "court-invited mediator")
    JUDGE_ASSISTANT = ("judge_assistant", "法官助理", "judge's assistant")


class Mediator(Aggregate):
    """调解员: one entry on the court's mediator roster (调解员名册), stored one document each."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=100)
    role: MediatorRole = MediatorRole.INVITED
    active: bool = True
    open_cases: int = Field(default=0, ge=0)
    capacity: int = Field(default=10, ge=1, description="open cases they can carry at once")

    @property
    def label(self) -> str:
        return f"{self.role.zh} {self.name}"

    @property
    def load(self) -> Fraction:
        """Share of capacity in use, exact so that ties are real ties."""
        return Fraction(self.open_cases, self.capacity)

    @property
    def has_room(self) -> bool:
        return self.active and self.open_cases < self.capacity


def choose_mediator(mediators: Sequence[Mediator], *, named: str | None = None) -> Mediator:
    """选定调解员: the named one (must exist and be active), else the least loaded with room.

    Least loaded is the smallest share of capacity in use; ties go to the fewer open cases,
    then to the smaller id, so the same roster always gives the same mediator.
    """
    if named is not None:
        found = next((m for m in mediators if m.id == named), None)
        if found is None:
            raise UnknownMediator(f"no mediator {named!r} on the roster")
        if not found.active:
            raise MediatorUnavailable(f"mediator {found.id} ({found.name}) is inactive")
        return found
    candidates = [m for m in mediators if m.has_room]
    if not candidates:
        raise NoMediatorAvailable("no active mediator has room for another case")
    return min(candidates, key=lambda m: (m.load, m.open_cases, m.id))
