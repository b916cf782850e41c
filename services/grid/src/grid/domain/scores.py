"""Scores (积分制) per worker and the monthly star rating per grid (星级网格), from scored facts.

A fact is one thing that earns or costs points: a report filed, a report resolved on the spot,
a task done on time or overdue. Facts are deduplicated by (kind, ref), so replaying events or
recounting a task never scores it twice.

Monthly stars of a grid (Asia/Shanghai calendar month), 1 to 5:
    point stars = 1 + how many of ``StarRule.point_steps`` the grid's points reach
                  (default 10, 25, 45, 70 points → 2, 3, 4, 5 stars);
    cap         = by the on-time rate of its tasks, on time / (on time + overdue):
                  ≥ 95% (or no task that month) → 5, ≥ 80% → 4, ≥ 60% → 3, below → 2;
    stars       = min(point stars, cap).
So a busy grid cannot buy stars with reports while it lets the hub's tasks run late.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import CodeList
from grid.domain.patrol import PatrolReport, ReportStatus
from grid.domain.people import SHANGHAI
from grid.domain.task import HubTask, TaskStatus


class FactKind(CodeList):
    REPORT = ("report", "事件上报", "report filed")
    ON_THE_SPOT = ("on_the_spot", "现场办结", "resolved on the spot")
    TASK_ON_TIME = ("task_on_time", "任务按时办结", "task done on time")
    TASK_OVERDUE = ("task_overdue", "任务超期", "task overdue")


DEFAULT_POINTS: Mapping[FactKind, int] = {
    FactKind.REPORT: 1,
    FactKind.ON_THE_SPOT: 2,
    FactKind.TASK_ON_TIME: 3,
    FactKind.TASK_OVERDUE: -2,
}


class ScoredFact(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: FactKind
    worker: str
    grid: str
    at: datetime
    ref: str = Field(description="the report or task it comes from")


class StarRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    point_steps: tuple[int, int, int, int] = (10, 25, 45, 70)
    # (lowest on-time rate, highest stars allowed), best first; below the last: the floor.
    on_time_caps: tuple[tuple[float, int], ...] = ((0.95, 5), (0.8, 4), (0.6, 3))
    floor_cap: int = 2

    def stars(self, points: int, on_time_rate: float | None) -> int:
        by_points = 1 + sum(points >= step for step in self.point_steps)
        if on_time_rate is None:
            return by_points
        cap = next((c for rate, c in self.on_time_caps if on_time_rate >= rate), self.floor_cap)
        return min(by_points, cap)


class GridMonth(BaseModel):
    """One grid's month: its points, its tasks' timeliness and its stars."""

    grid: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    points: int
    tasks_on_time: int
    tasks_overdue: int
    on_time_rate: float | None
    stars: int = Field(ge=1, le=5)


def month_of(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m")


def unique(facts: Iterable[ScoredFact]) -> list[ScoredFact]:
    """The first fact of each (kind, ref): a replayed or recounted fact scores once."""
    seen: dict[tuple[FactKind, str], ScoredFact] = {}
    for fact in facts:
        seen.setdefault((fact.kind, fact.ref), fact)
    return list(seen.values())


def worker_points(
    facts: Iterable[ScoredFact], points: Mapping[FactKind, int] = DEFAULT_POINTS
) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for fact in unique(facts):
        totals[fact.worker] += points.get(fact.kind, 0)
    return dict(totals)


def top_workers(
    facts: Iterable[ScoredFact], n: int = 10, points: Mapping[FactKind, int] = DEFAULT_POINTS
) -> list[tuple[str, int]]:
    """十佳网格员: the ``n`` best by points; ties by worker id, so the list is stable."""
    ranked = sorted(worker_points(facts, points).items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n]


def monthly_stars(
    facts: Iterable[ScoredFact],
    month: str,
    grids: Iterable[str],
    *,
    points: Mapping[FactKind, int] = DEFAULT_POINTS,
    rule: StarRule = StarRule(),
) -> list[GridMonth]:
    """Every grid in ``grids`` for the month ("YYYY-MM"), a grid without facts included."""
    in_month = [f for f in unique(facts) if month_of(f.at) == month]
    rows = []
    for grid in sorted(set(grids)):
        mine = [f for f in in_month if f.grid == grid]
        on_time = sum(f.kind is FactKind.TASK_ON_TIME for f in mine)
        overdue = sum(f.kind is FactKind.TASK_OVERDUE for f in mine)
        rate = round(on_time / (on_time + overdue), 4) if on_time + overdue else None
        total = sum(points.get(f.kind, 0) for f in mine)
        rows.append(
            GridMonth(
                grid=grid,
                month=month,
                points=total,
                tasks_on_time=on_time,
                tasks_overdue=overdue,
                on_time_rate=rate,
                stars=rule.stars(total, rate),
            )
        )
    return rows


def facts_of_report(report: PatrolReport) -> list[ScoredFact]:
    facts = [
        ScoredFact(
            kind=FactKind.REPORT,
            worker=report.reporter,
            grid=report.grid,
            at=report.reported_at,
            ref=report.id,
        )
    ]
    if report.status is ReportStatus.RESOLVED and report.handled_by and report.closed_at:
        facts.append(
            ScoredFact(
                kind=FactKind.ON_THE_SPOT,
                worker=report.handled_by,
                grid=report.grid,
                at=report.closed_at,
                ref=report.id,
            )
        )
    return facts


def facts_of_task(task: HubTask, now: datetime) -> list[ScoredFact]:
    """On time or overdue once the feedback is in; overdue already while it runs late."""
    if task.feedback is not None:
        on_time = task.feedback.at <= task.due_at
        kind = FactKind.TASK_ON_TIME if on_time else FactKind.TASK_OVERDUE
        worker, at = task.feedback.by, task.feedback.at
    elif task.status is not TaskStatus.RETURNED and now > task.due_at:
        kind, worker, at = FactKind.TASK_OVERDUE, task.assignee, task.due_at
    else:
        return []
    return [ScoredFact(kind=kind, worker=worker, grid=task.grid, at=at, ref=task.id)]
