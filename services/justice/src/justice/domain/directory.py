"""The office's directory (司法所名册): committees, mediators, experts, lawyers and village
advisers, checked as a whole so the choice rules can rely on it. ``load_directory()`` without
data gives the demo seed of 都斛镇 that ships in this package.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from justice.domain.advisers import AdviserRegistry, LegalAdviser
from justice.domain.errors import InvalidData, UnknownCommittee, UnknownLawyer, UnknownMediator
from justice.domain.fields import CommitteeField
from justice.domain.people import Committee, Expert, Lawyer, Mediator

SEED_FILE = "duhu_justice.yaml"


class Directory(BaseModel):
    """司法所名册: who can mediate, advise and defend, with lookups by id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = "custom"
    committees: tuple[Committee, ...]
    mediators: tuple[Mediator, ...] = ()
    experts: tuple[Expert, ...] = ()
    lawyers: tuple[Lawyer, ...] = ()
    advisers: tuple[LegalAdviser, ...] = ()

    _committees: dict[str, Committee] = PrivateAttr(default_factory=dict)
    _mediators: dict[str, Mediator] = PrivateAttr(default_factory=dict)
    _lawyers: dict[str, Lawyer] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._committees = {c.id: c for c in self.committees}
        self._mediators = {m.id: m for m in self.mediators}
        self._lawyers = {lw.id: lw for lw in self.lawyers}

    def committee(self, key: str) -> Committee:
        """The committee with this id or exact name (as a hub order's ``unit`` may give it)."""
        found = self._committees.get(key) or next(
            (c for c in self.committees if c.name == key), None
        )
        if found is None:
            raise UnknownCommittee(f"no mediation committee {key!r}")
        return found

    def committee_for(self, field: CommitteeField) -> Committee:
        """The field's committee, or the joint committee where the field has none."""
        for wanted in (field, CommitteeField.JOINT):
            found = next((c for c in self.committees if c.field is wanted), None)
            if found is not None:
                return found
        raise UnknownCommittee(f"no committee for {field.value} and no joint committee")

    def mediator(self, mediator_id: str) -> Mediator:
        try:
            return self._mediators[mediator_id]
        except KeyError:
            raise UnknownMediator(f"no mediator {mediator_id!r} in the pool") from None

    def members(self, committee_id: str) -> list[Mediator]:
        return [m for m in self.mediators if committee_id in m.committees]

    def lawyer(self, lawyer_id: str) -> Lawyer:
        try:
            return self._lawyers[lawyer_id]
        except KeyError:
            raise UnknownLawyer(f"no legal-aid lawyer {lawyer_id!r}") from None

    def adviser_registry(self) -> AdviserRegistry:
        return AdviserRegistry(self.advisers)


def check_directory(directory: Directory) -> Directory:
    """The directory, if consistent; else InvalidData naming every fault."""
    problems: list[str] = []
    for kind, ids in (
        ("committee", [c.id for c in directory.committees]),
        ("mediator", [m.id for m in directory.mediators]),
        ("expert", [e.id for e in directory.experts]),
        ("lawyer", [lw.id for lw in directory.lawyers]),
        ("adviser village", [a.village for a in directory.advisers]),
    ):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        problems += [f"{kind} {i} appears twice" for i in twice]
    known = {c.id for c in directory.committees}
    for m in directory.mediators:
        unknown = [c for c in m.committees if c not in known]
        problems += [f"mediator {m.id}: unknown committee {c}" for c in unknown]
    for c in directory.committees:
        if not any(m.active for m in directory.members(c.id)):
            problems.append(f"committee {c.id} ({c.name}) has no active mediator")
    if problems:
        raise InvalidData(problems)
    return directory


def load_directory(data: Mapping[str, Any] | None = None) -> Directory:
    """The given directory checked, or the bundled demo seed (都斛镇) when ``data`` is None."""
    if data is None:
        return _demo_directory()
    try:
        directory = Directory.model_validate(data)
    except ValidationError as error:
        raise InvalidData(
            [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        ) from None
    return check_directory(directory)


def seed() -> dict[str, Any]:
    """The demo seed as a fresh mapping, for callers that want to load it into a store."""
    text = resources.files("justice.domain").joinpath(SEED_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@functools.cache
def _demo_directory() -> Directory:
    return load_directory(seed())
