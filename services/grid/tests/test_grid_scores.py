"""Scores (积分制), 十佳网格员 and the monthly star rating of grids (星级网格)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fengqiao.contracts.codes import Action, Category, Outcome, Severity
from fengqiao.contracts.events import CaseTransferred, Location
from grid.domain import task_steps
from grid.domain.patrol import file_report, resolve_on_spot
from grid.domain.roster import load_roster
from grid.domain.scores import (
    DEFAULT_POINTS,
    FactKind,
    ScoredFact,
    StarRule,
    facts_of_report,
    facts_of_task,
    month_of,
    monthly_stars,
    top_workers,
    worker_points,
)
from grid.domain.territory import load_territory

SH = ZoneInfo("Asia/Shanghai")
DUHU = load_territory()
ROSTER = load_roster()
G1, G2, G3 = "440781105201001", "440781105201002", "440781105201003"
MARCH = datetime(2026, 3, 10, 2, tzinfo=UTC)
K = FactKind
_refs = iter(range(10_000))


def fact(kind: FactKind, worker: str = "gw-01", grid: str = G1, at: datetime = MARCH) -> ScoredFact:
    return ScoredFact(kind=kind, worker=worker, grid=grid, at=at, ref=f"ref-{next(_refs)}")


def many(kind: FactKind, n: int, **kwargs: object) -> list[ScoredFact]:
    return [fact(kind, **kwargs) for _ in range(n)]  # type: ignore[arg-type]


def test_default_points_per_kind() -> None:
    facts = [fact(K.REPORT), fact(K.ON_THE_SPOT), fact(K.TASK_ON_TIME), fact(K.TASK_OVERDUE)]
    assert worker_points(facts) == {"gw-01": 1 + 2 + 3 - 2}
    assert dict(DEFAULT_POINTS) == {
        K.REPORT: 1,
        K.ON_THE_SPOT: 2,
        K.TASK_ON_TIME: 3,
        K.TASK_OVERDUE: -2,
    }


def test_the_points_table_is_configurable() -> None:
    harsh = {**DEFAULT_POINTS, K.TASK_OVERDUE: -5}
    assert worker_points([fact(K.TASK_ON_TIME), fact(K.TASK_OVERDUE)], harsh) == {"gw-01": -2}


def test_a_replayed_fact_scores_once() -> None:
    once = fact(K.ON_THE_SPOT)
    assert worker_points([once, once, once.model_copy()]) == {"gw-01": 2}


def test_top_workers_by_points_ties_by_id() -> None:
    facts = many(K.TASK_ON_TIME, 2, worker="gw-02") + many(K.REPORT, 6, worker="gw-01")
    facts += [*many(K.REPORT, 6, worker="gw-03"), fact(K.REPORT, worker="gw-04")]
    assert top_workers(facts, n=3) == [("gw-01", 6), ("gw-02", 6), ("gw-03", 6)]


def test_month_is_the_shanghai_calendar_month() -> None:
    assert month_of(datetime(2026, 3, 31, 16, 30, tzinfo=UTC)) == "2026-04"  # 00:30 on 1 April
    assert month_of(datetime(2026, 3, 31, 15, 59, tzinfo=UTC)) == "2026-03"


@pytest.mark.parametrize(
    ("points", "rate", "stars"),
    [
        (0, None, 1),
        (9, None, 1),
        (10, None, 2),
        (25, 1.0, 3),
        (45, 0.95, 4),
        (70, 0.95, 5),
        (70, 0.94, 4),  # late tasks cap a busy grid
        (70, 0.8, 4),
        (70, 0.79, 3),
        (70, 0.5, 2),
        (5, 0.1, 1),  # the cap never lifts a grid
    ],
)
def test_star_formula(points: int, rate: float | None, stars: int) -> None:
    assert StarRule().stars(points, rate) == stars


def test_monthly_stars_per_grid() -> None:
    busy_and_punctual = many(K.ON_THE_SPOT, 30, grid=G1) + many(K.TASK_ON_TIME, 4, grid=G1)
    busy_but_late = many(K.ON_THE_SPOT, 40, grid=G2) + many(K.TASK_ON_TIME, 1, grid=G2)
    busy_but_late += many(K.TASK_OVERDUE, 1, grid=G2)
    last_month = many(K.ON_THE_SPOT, 50, grid=G3, at=MARCH - timedelta(days=20))
    rows = {
        r.grid: r
        for r in monthly_stars(
            busy_and_punctual + busy_but_late + last_month, "2026-03", [G1, G2, G3]
        )
    }
    assert (rows[G1].points, rows[G1].on_time_rate, rows[G1].stars) == (72, 1.0, 5)
    assert (rows[G2].points, rows[G2].on_time_rate, rows[G2].stars) == (81, 0.5, 2)
    assert (rows[G3].points, rows[G3].on_time_rate, rows[G3].stars) == (0, None, 1)


def test_facts_come_from_real_reports_and_tasks() -> None:
    worker = ROSTER.worker("gw-01")
    at = datetime(2026, 3, 2, 2, tzinfo=UTC)  # Monday 10:00 in Shanghai
    report = file_report(
        report_id="r-1", reporter=worker, category=Category.NEIGHBOUR, description="占道堆放",
        location=Location(lon=112.85, lat=21.955), photos=[], urgent=False, territory=DUHU,
        now=at,
    )  # fmt: skip
    assert [f.kind for f in facts_of_report(report)] == [K.REPORT]
    resolve_on_spot(report, worker=worker, result="已清理", now=at + timedelta(minutes=30))
    assert [f.kind for f in facts_of_report(report)] == [K.REPORT, K.ON_THE_SPOT]

    event = CaseTransferred(
        case_id="case-1", assignment_id="case-1-1", category=Category.LAND_RURAL,
        severity=Severity.GENERAL, action=Action.VISIT, lead=True, title="走访",
        summary="走访当事人",
        location=Location(lon=112.85, lat=21.955), due_at=at + timedelta(days=1),
        accept_by=at + timedelta(hours=4),
    )  # fmt: skip
    task = task_steps.open_task(event, territory=DUHU, roster=ROSTER, now=at)
    assert facts_of_task(task, at + timedelta(hours=1)) == []
    [late] = facts_of_task(task, at + timedelta(days=2))
    assert (late.kind, late.worker, late.grid) == (K.TASK_OVERDUE, "gw-01", G1)

    task_steps.accept(task, worker=worker, now=at + timedelta(minutes=10))
    task_steps.finish(
        task, worker=worker, outcome=Outcome.RESOLVED, summary="已走访", now=at + timedelta(hours=3)
    )
    [done] = facts_of_task(task, at + timedelta(days=2))
    assert (done.kind, done.worker) == (K.TASK_ON_TIME, "gw-01")
    points = worker_points([*facts_of_report(report), done])
    assert points == {"gw-01": 1 + 2 + 3}
