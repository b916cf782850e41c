"""The figures every hub reports (see DOMAIN.md): accepted, finished, resolved, on time, overdue,
returned, satisfaction; 办结率 = finished / accepted and 化解率 = resolved / accepted. A force's
figures count its assignments: accepted (签收), finished (反馈), resolved, on time, returned."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from statistics import fmean

from pydantic import BaseModel, computed_field

from fengqiao.calendar import SHANGHAI
from fengqiao.contracts.codes import Card, Clock, Outcome
from intake.domain.assignment import Assignment
from intake.domain.case import FINISHED, Case


class Figures(BaseModel):
    accepted: int = 0
    finished: int = 0
    resolved: int = 0
    on_time: int = 0
    overdue: int = 0
    returned: int = 0
    on_the_spot: int = 0
    routed: int = 0
    satisfaction: list[int] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def completion_rate(self) -> float | None:
        """办结率"""
        return round(self.finished / self.accepted, 4) if self.accepted else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def resolution_rate(self) -> float | None:
        """化解率"""
        return round(self.resolved / self.accepted, 4) if self.accepted else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def on_the_spot_share(self) -> float | None:
        """现场办结率: settled where found, of all accepted"""
        return round(self.on_the_spot / self.accepted, 4) if self.accepted else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def routed_share(self) -> float | None:
        """流转率: handed to at least one force, of all accepted"""
        return round(self.routed / self.accepted, 4) if self.accepted else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mean_satisfaction(self) -> float | None:
        return round(fmean(self.satisfaction), 2) if self.satisfaction else None


class Stats(BaseModel):
    total: Figures
    by_category: dict[str, Figures]
    by_force: dict[str, Figures]
    by_area: dict[str, Figures]
    by_period: dict[str, Figures]


def _count_case(figures: Figures, case: Case) -> None:
    figures.accepted += 1
    if case.status in FINISHED and case.closure is not None:
        figures.finished += 1
        figures.resolved += case.closure.outcome == Outcome.RESOLVED.value
        figures.on_time += case.closure.at <= case.due_at
    figures.overdue += case.overdue
    figures.on_the_spot += case.on_the_spot
    figures.routed += bool(case.assignments)
    figures.returned += sum(1 for a in case.assignments if a.return_reason_code is not None)
    if case.follow_ups:
        figures.satisfaction.append(case.follow_ups[-1].satisfaction)


def _count_assignment(figures: Figures, case: Case, assignment: Assignment) -> None:
    if assignment.return_reason_code is not None:
        figures.returned += 1
        return
    figures.accepted += assignment.accepted_at is not None
    if assignment.feedback is not None:
        figures.finished += 1
        figures.resolved += assignment.feedback.outcome is Outcome.RESOLVED
        figures.on_time += assignment.finished_on_time()
        if case.follow_ups:
            figures.satisfaction.append(case.follow_ups[-1].satisfaction)
    figures.overdue += assignment.cards.get(Clock.FINISH) is Card.RED


def area_of(case: Case, level: str) -> str:
    location = case.location
    return getattr(location, level, None) or location.town or "unknown"


def compute(cases: Iterable[Case], *, area_level: str = "town") -> Stats:
    total = Figures()
    groups: dict[str, dict[str, Figures]] = {
        name: defaultdict(Figures) for name in ("category", "force", "area", "period")
    }
    keys: dict[str, Callable[[Case], str]] = {
        "category": lambda c: c.category.value,
        "area": lambda c: area_of(c, area_level),
        "period": lambda c: c.registered_at.astimezone(SHANGHAI).strftime("%Y-%m"),
    }
    for case in cases:
        _count_case(total, case)
        for name, key in keys.items():
            _count_case(groups[name][key(case)], case)
        for assignment in case.assignments:
            _count_assignment(groups["force"][assignment.agency], case, assignment)
    return Stats(
        total=total,
        by_category=dict(groups["category"]),
        by_force=dict(groups["force"]),
        by_area=dict(groups["area"]),
        by_period=dict(sorted(groups["period"].items())),
    )
