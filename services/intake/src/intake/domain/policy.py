"""The assessment policy (研判规则): a versioned YAML table of rules, deadlines, levels and
leaders. The first rule whose conditions all hold decides the plan; the rule is recorded on the
case so every dispatch can be explained."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from fengqiao.calendar import Counting, WorkCalendar, deadline
from fengqiao.contracts.codes import Action, Category, Flag, Level, Severity
from fengqiao.contracts.events import Location


class Within(BaseModel):
    """A time limit: days (calendar or working), plus hours and seconds of calendar time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    days: int = Field(default=0, ge=0)
    hours: int = Field(default=0, ge=0)
    seconds: int = Field(default=0, ge=0, description="for drills and tests")
    counting: Counting = Counting.CALENDAR

    def due(self, start: datetime, calendar: WorkCalendar) -> datetime:
        due = deadline(
            start, days=self.days, hours=self.hours, counting=self.counting, calendar=calendar
        )
        return due + timedelta(seconds=self.seconds)


class TaskSpec(BaseModel):
    """What one force must do: its agency id, the action, the unit, and the time it has."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    agency: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,62}$")
    action: Action
    unit: str | None = None
    within: Within | None = Field(default=None, description="default: the case's deadline")


class Match(BaseModel):
    """Conditions of a rule; an empty list or None matches anything."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: list[Category] = Field(default_factory=list)
    severities: list[Severity] = Field(default_factory=list)
    flags_any: list[Flag] = Field(default_factory=list)
    area_prefix: str | None = None

    def holds(
        self, category: Category, severity: Severity, flags: set[Flag], location: Location
    ) -> bool:
        codes = (location.city, location.county, location.town, location.village, location.grid)
        return (
            (not self.categories or category in self.categories)
            and (not self.severities or severity in self.severities)
            and (not self.flags_any or bool(flags & set(self.flags_any)))
            and (
                self.area_prefix is None
                or any(c is not None and c.startswith(self.area_prefix) for c in codes)
            )
        )


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    description: str = ""
    when: Match = Field(default_factory=Match)
    lead: TaskSpec
    co: list[TaskSpec] = Field(default_factory=list)
    leader: bool = Field(default=False, description="needs a responsible leader (包案)")


class Leader(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: str

    def __str__(self) -> str:
        return f"{self.title} {self.name}"


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    version: str
    deadlines: dict[Severity, Within]
    accept: Within
    levels: dict[Severity, Level]
    leader_severities: list[Severity] = Field(default_factory=list)
    leader_flags: list[Flag] = Field(default_factory=list)
    leaders: dict[Level, list[Leader]] = Field(default_factory=dict)
    escalation_recipients: list[str] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)
    calendar: WorkCalendar = Field(default_factory=WorkCalendar.default, exclude=True)

    def rule_for(
        self, category: Category, severity: Severity, flags: set[Flag], location: Location
    ) -> Rule | None:
        return next(
            (r for r in self.rules if r.when.holds(category, severity, flags, location)), None
        )

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def needs_leader(self, severity: Severity, flags: set[Flag]) -> bool:
        return severity in self.leader_severities or bool(flags & set(self.leader_flags))

    def leader_for(self, case_id: str, level: Level) -> str | None:
        """A leader of the level (or the nearest level above), chosen stably by case id."""
        for candidate in [lv for lv in Level if list(Level).index(lv) >= list(Level).index(level)]:
            roster = self.leaders.get(candidate, [])
            if roster:
                pick = int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % len(roster)
                return str(roster[pick])
        return None


def load_policy(path: Path | None = None) -> Policy:
    """The policy in ``path``, or the default table shipped with the hub."""
    if path is None:
        return default_policy()
    return parse_policy(yaml.safe_load(path.read_text(encoding="utf-8")))


def parse_policy(data: Any) -> Policy:
    return Policy.model_validate(data)


@cache
def default_policy() -> Policy:
    text = resources.files("intake.domain").joinpath("policy.yaml").read_text(encoding="utf-8")
    return parse_policy(yaml.safe_load(text))
