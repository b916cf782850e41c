"""Choice of committee and mediator (选派调委会和调解员), automatic or by hand.

The committee is the one the hub's order names in ``unit``, else the dispute's field's, else
the joint committee. Among its active members who still have room, the mediator is the one who
(1) knows the field, then (2) carries the lightest load for their capacity, then (3) lives
nearest the dispute; the lower id breaks what is left, so the same inputs give the same choice.
A named mediator (manual override) must exist and be active, and the reason is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.contracts.events import Location
from justice.domain.directory import Directory
from justice.domain.errors import (
    InvalidRequest,
    MediatorUnavailable,
    NoMediatorAvailable,
    UnknownCommittee,
)
from justice.domain.fields import CommitteeField
from justice.domain.people import Committee, Expert, Mediator

Load = Mapping[str, int]  # open cases by mediator id; a missing id has none


class Choice(BaseModel):
    """选派结果: the committee and mediator a mediation is given, and why."""

    model_config = ConfigDict(frozen=True)

    committee_id: str
    committee_name: str
    mediator_id: str
    mediator_name: str
    manual: bool = False
    reason: str | None = Field(default=None, description="why the mediator was named by hand")
    distance_m: float | None = Field(default=None, description="home to dispute, if placed")
    note: str | None = Field(default=None, description="e.g. an order's unit that was not found")

    @property
    def handler(self) -> str:
        """How the hub sees who handles it, e.g. "都斛镇人民调解委员会 黄志强"."""
        return f"{self.committee_name} {self.mediator_name}"


def choose_committee(
    directory: Directory, field: CommitteeField, unit: str | None = None
) -> tuple[Committee, str | None]:
    """确定调委会: the committee named in ``unit`` if it exists, else the field's; with a note."""
    if unit:
        try:
            return directory.committee(unit), None
        except UnknownCommittee:
            note = f"指定的调委会“{unit}”不存在，按纠纷领域选派"
            return directory.committee_for(field), note
    return directory.committee_for(field), None


def choose(
    directory: Directory,
    *,
    field: CommitteeField,
    location: Location,
    load: Load,
    unit: str | None = None,
) -> Choice:
    """自动选派: the committee, then its best-placed available mediator; NoMediatorAvailable."""
    committee, note = choose_committee(directory, field, unit)
    free = [
        m for m in directory.members(committee.id) if m.active and load.get(m.id, 0) < m.capacity
    ]
    if not free:
        raise NoMediatorAvailable(
            f"no active mediator with room on {committee.name}; name one by override"
        )

    def rank(m: Mediator) -> tuple[int, Fraction, float, str]:
        metres = _distance(m, location)
        # Compared to the metre, so float noise between equally placed homes cannot decide.
        return (
            0 if m.knows(field) else 1,
            Fraction(load.get(m.id, 0), m.capacity),
            round(metres) if metres is not None else math.inf,
            m.id,
        )

    best = min(free, key=rank)
    return _choice(committee, best, location, note=note)


def override(
    directory: Directory,
    *,
    mediator_id: str,
    reason: str,
    field: CommitteeField,
    location: Location,
    load: Load,
    unit: str | None = None,
) -> Choice:
    """指定调解员: the named mediator, if in the pool and active; load may exceed capacity."""
    if not reason.strip():
        raise InvalidRequest("naming a mediator by hand needs a reason")
    mediator = directory.mediator(mediator_id)
    if not mediator.active:
        raise MediatorUnavailable(f"mediator {mediator.id} ({mediator.name}) is not active")
    committee, note = choose_committee(directory, field, unit)
    if committee.id not in mediator.committees:
        committee = directory.committee(mediator.committees[0])
    if load.get(mediator.id, 0) >= mediator.capacity:
        note = "; ".join(filter(None, [note, f"超出承办上限({mediator.capacity}件)"]))
    return _choice(committee, mediator, location, note=note, reason=reason.strip())


def suggest_experts(
    directory: Directory, field: CommitteeField, location: Location | None = None, limit: int = 3
) -> list[Expert]:
    """推荐专家: active experts of the field, nearest first (all alike when unplaced)."""
    fit = [e for e in directory.experts if e.active and e.knows(field)]

    def rank(e: Expert) -> tuple[float, str]:
        metres = _distance(e, location) if location is not None else None
        return (round(metres) if metres is not None else math.inf, e.id)

    return sorted(fit, key=rank)[:limit]


def _distance(person: Mediator | Expert, location: Location) -> float | None:
    if location.lon is None or location.lat is None:
        return None
    return person.distance_m(location.lon, location.lat)


def _choice(
    committee: Committee,
    mediator: Mediator,
    location: Location,
    *,
    note: str | None = None,
    reason: str | None = None,
) -> Choice:
    return Choice(
        committee_id=committee.id,
        committee_name=committee.name,
        mediator_id=mediator.id,
        mediator_name=mediator.name,
        manual=reason is not None,
        reason=reason,
        distance_m=_distance(mediator, location),
        note=note or None,
    )
