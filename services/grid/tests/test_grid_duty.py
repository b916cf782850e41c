"""Who gets a matter (AB角, 8小时之外, 紧急报网格长, 建档移交), hub tasks' steps and patrol reports.

Everything runs on the 都斛镇 demo territory and roster; times are Asia/Shanghai wall-clock.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from fengqiao.calendar import WorkCalendar
from fengqiao.contracts.codes import Action, Category, Clock, Outcome, Severity
from fengqiao.contracts.events import CaseTransferred, Location
from grid.domain import task_steps
from grid.domain.duty import Route, assignee
from grid.domain.errors import (
    AlreadyAccepted,
    DomainError,
    IllegalTransition,
    NotAssignee,
    OutsideTerritory,
    UnsupportedAction,
)
from grid.domain.patrol import (
    Disposal,
    PatrolReport,
    Photo,
    ReportStatus,
    file_report,
    resolve_on_spot,
)
from grid.domain.patrol import escalate as escalate_report
from grid.domain.people import Leave
from grid.domain.roster import Roster, load_roster
from grid.domain.task import ALLOWED, HubTask, TaskStatus
from grid.domain.task_clock import tick
from grid.domain.territory import load_territory

SH = ZoneInfo("Asia/Shanghai")
DUHU = load_territory()
ROSTER = load_roster()
LIANHU_1 = "440781105201001"  # worker gw-01 伍丽萍, partner grid 002 (gw-02 梅建华), head gh-201
LIANHU_3 = "440781105201003"  # part-time gw-03 (afternoons), partner 莲塘村 grid 1 (gw-04)
IN_LIANHU_1 = Location(lon=112.85, lat=21.955, address="莲湖村三巷")
IN_LIANHU_3 = Location(lon=112.89, lat=21.955)
AT_SEA = Location(lon=112.93, lat=21.86)
T = TaskStatus


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026, Shanghai time (2 March is a Monday), as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SH).astimezone(UTC)


MON_10 = sh(2, 10)
MON_NIGHT = sh(2, 20)


@dataclass(frozen=True)
class Matter:
    location: Location
    urgent: bool = False


def on_leave(worker: str, start: datetime, end: datetime, roster: Roster = ROSTER) -> Roster:
    return roster.with_leave(worker, Leave(start=start, end=end, reason="病假"))


# ----- assignee: the duty rules -----------------------------------------------------------


def test_on_duty_the_responsible_worker_gets_it() -> None:
    decision = assignee(Matter(IN_LIANHU_1), DUHU, ROSTER, MON_10)
    assert (decision.grid, decision.worker, decision.route) == (
        LIANHU_1,
        "gw-01",
        Route.RESPONSIBLE,
    )
    assert decision.handover_at is None
    assert "伍丽萍" in decision.reason_zh and "on duty" in decision.reason_en


def test_urgent_on_duty_alerts_the_partner_to_handle_it_together() -> None:
    decision = assignee(Matter(IN_LIANHU_1, urgent=True), DUHU, ROSTER, MON_10)
    assert decision.worker == "gw-01" and decision.alert == ("gw-02",)


def test_off_duty_worker_is_covered_by_the_ab_partner_on_duty() -> None:
    roster = on_leave("gw-01", sh(2, 0), sh(3, 0))
    decision = assignee(Matter(IN_LIANHU_1), DUHU, roster, MON_10)
    assert (decision.worker, decision.route) == ("gw-02", Route.AB_PARTNER)
    assert "AB角" in decision.reason_zh and "梅建华" in decision.reason_zh


def test_part_time_worker_in_the_morning_is_covered_by_the_neighbouring_village() -> None:
    decision = assignee(Matter(IN_LIANHU_3), DUHU, ROSTER, MON_10)
    assert (decision.grid, decision.worker, decision.route) == (LIANHU_3, "gw-04", Route.AB_PARTNER)
    afternoon = assignee(Matter(IN_LIANHU_3), DUHU, ROSTER, sh(2, 15))
    assert (afternoon.worker, afternoon.route) == ("gw-03", Route.RESPONSIBLE)


def test_at_night_the_village_team_files_it_for_the_morning() -> None:
    decision = assignee(Matter(IN_LIANHU_1), DUHU, ROSTER, MON_NIGHT)
    assert decision.route is Route.VILLAGE_TEAM
    assert decision.worker in {"vt-201-1", "vt-201-2"}
    assert (decision.handover_to, decision.handover_at) == ("gw-01", sh(3, 8, 30))
    assert "2026-03-03 08:30" in decision.reason_zh and "建档" in decision.reason_zh


def test_urgent_at_night_goes_straight_to_the_grid_head() -> None:
    decision = assignee(Matter(IN_LIANHU_1, urgent=True), DUHU, ROSTER, MON_NIGHT)
    assert (decision.worker, decision.route) == ("gh-201", Route.GRID_HEAD)
    assert decision.handover_at is None
    assert decision.alert and decision.alert[0].startswith("vt-201-")
    assert "陈志明" in decision.reason_zh


def test_at_the_weekend_it_waits_for_monday_morning() -> None:
    decision = assignee(Matter(IN_LIANHU_1), DUHU, ROSTER, sh(7, 10))  # Saturday
    assert decision.route is Route.VILLAGE_TEAM
    assert decision.handover_at == sh(9, 8, 30)


def test_the_lunch_break_is_outside_hours_until_the_afternoon_shift() -> None:
    decision = assignee(Matter(IN_LIANHU_1), DUHU, ROSTER, sh(2, 12, 30))
    assert (decision.route, decision.handover_at) == (Route.VILLAGE_TEAM, sh(2, 14, 30))


def test_hand_over_goes_to_whoever_is_back_first() -> None:
    # 伍丽萍 is on leave until Wednesday: her partner takes the filed matter on Tuesday morning.
    roster = on_leave("gw-01", sh(2, 0), sh(4, 0))
    decision = assignee(Matter(IN_LIANHU_1), DUHU, roster, MON_NIGHT)
    assert (decision.handover_to, decision.handover_at) == ("gw-02", sh(3, 8, 30))


class NoWorkOnTuesday:
    """A calendar with a public holiday on Tuesday 3 March (the hub's WorkCalendar fits here)."""

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day != date(2026, 3, 3)


def test_a_holiday_from_the_calendar_pushes_the_hand_over() -> None:
    decision = assignee(Matter(IN_LIANHU_1), DUHU, ROSTER, MON_NIGHT, calendar=NoWorkOnTuesday())
    assert decision.handover_at == sh(4, 8, 30)


def test_the_chinese_calendar_keeps_workers_home_on_national_day() -> None:
    """国庆: Thursday 1 October 2026, 10:00, is a public holiday on the hub's calendar."""
    holiday = datetime(2026, 10, 1, 10, tzinfo=SH).astimezone(UTC)
    working = datetime(2026, 10, 9, 10, tzinfo=SH).astimezone(UTC)
    calendar = WorkCalendar.default()
    on_holiday = assignee(Matter(IN_LIANHU_1), DUHU, ROSTER, holiday, calendar=calendar)
    assert on_holiday.route is not Route.RESPONSIBLE
    on_a_working_friday = assignee(Matter(IN_LIANHU_1), DUHU, ROSTER, working, calendar=calendar)
    assert on_a_working_friday.route is Route.RESPONSIBLE


def test_the_village_team_watch_runs_noon_to_noon() -> None:
    team = ROSTER.team("440781105201")
    assert team is not None
    assert team.on_watch(sh(2, 20)) == team.on_watch(sh(3, 2)) == team.on_watch(sh(3, 11))
    assert team.on_watch(sh(3, 20)) != team.on_watch(sh(2, 20))


def test_a_matter_at_sea_has_no_grid_worker() -> None:
    with pytest.raises(OutsideTerritory):
        assignee(Matter(AT_SEA), DUHU, ROSTER, MON_10)


# ----- hub tasks --------------------------------------------------------------------------


def transfer(
    *,
    action: Action = Action.VERIFY,
    severity: Severity = Severity.GENERAL,
    location: Location = IN_LIANHU_1,
    sent: datetime = MON_10,
    accept_within: timedelta = timedelta(hours=24),
    due_within: timedelta = timedelta(days=3),
) -> CaseTransferred:
    return CaseTransferred(
        case_id="case-1",
        assignment_id="case-1-2",
        category=Category.LAND_RURAL,
        severity=severity,
        action=action,
        lead=False,
        title="土地承包经营权纠纷",
        summary="核实承包地边界",
        location=location,
        due_at=sent + due_within,
        accept_by=sent + accept_within,
    )


def new_task(now: datetime = MON_10, roster: Roster = ROSTER, **kwargs: object) -> HubTask:
    return task_steps.open_task(
        transfer(sent=now, **kwargs),  # type: ignore[arg-type]
        territory=DUHU,
        roster=roster,
        now=now,
    )


def test_transfer_becomes_a_task_for_the_responsible_worker() -> None:
    task = new_task()
    assert (task.id, task.grid, task.assignee, task.status) == (
        "case-1-2",
        LIANHU_1,
        "gw-01",
        T.ASSIGNED,
    )
    assert task.handovers[0].route is Route.RESPONSIBLE and not task.urgent


def test_a_major_case_is_urgent_and_at_night_goes_to_the_grid_head() -> None:
    task = new_task(MON_NIGHT, severity=Severity.MAJOR)
    assert task.urgent and (task.assignee, task.route) == ("gh-201", Route.GRID_HEAD)


def test_actions_the_grid_does_not_do_are_refused() -> None:
    with pytest.raises(UnsupportedAction):
        new_task(action=Action.HEAR)


def test_a_transfer_outside_the_territory_is_refused() -> None:
    with pytest.raises(OutsideTerritory):
        new_task(location=AT_SEA)


@pytest.mark.parametrize(("start", "to"), list(itertools.product(T, T)), ids=lambda s: s.value)
def test_task_move(start: TaskStatus, to: TaskStatus) -> None:
    task = new_task().model_copy(update={"status": start})
    if to in ALLOWED[start]:
        task.move(to)
        assert task.status is to
    else:
        with pytest.raises(IllegalTransition):
            task.move(to)
        assert task.status is start


def test_the_whole_round_produces_the_hub_events() -> None:
    task = new_task()
    worker = ROSTER.worker("gw-01")
    accepted = task_steps.accept(task, worker=worker, now=MON_10 + timedelta(minutes=5))
    assert accepted.handler == "伍丽萍 (专职网格员)" and accepted.assignment_id == "case-1-2"
    task_steps.report_progress(task, worker=worker, note="已到现场", now=sh(2, 11))
    feedback = task_steps.finish(
        task, worker=worker, outcome=Outcome.RESOLVED, summary="边界属实", now=sh(3, 9)
    )
    assert (feedback.outcome, feedback.summary) == (Outcome.RESOLVED, "边界属实")
    assert task.status is T.DONE and task.finished_on_time() is True


def test_accepting_twice_is_refused_and_changes_nothing() -> None:
    task = new_task()
    task_steps.accept(task, worker=ROSTER.worker("gw-01"), now=sh(2, 10, 5))
    before = task.model_dump()
    for who in ("gw-01", "gw-02"):
        with pytest.raises(AlreadyAccepted):
            task_steps.accept(task, worker=ROSTER.worker(who), now=sh(2, 10, 6))
    assert task.model_dump() == before


def test_only_the_holder_may_act_and_a_refusal_changes_nothing() -> None:
    task = new_task()
    with pytest.raises(NotAssignee):
        task_steps.accept(task, worker=ROSTER.worker("gw-02"), now=sh(2, 10, 5))
    assert task.status is T.ASSIGNED and task.accepted_at is None


def test_progress_before_accepting_and_give_back_after_are_refused() -> None:
    task = new_task()
    worker = ROSTER.worker("gw-01")
    with pytest.raises(IllegalTransition):
        task_steps.report_progress(task, worker=worker, note="x", now=sh(2, 11))
    with pytest.raises(DomainError):
        task_steps.give_back(task, worker=worker, reason_code="", reason="", now=sh(2, 11))
    task_steps.accept(task, worker=worker, now=sh(2, 11))
    with pytest.raises(IllegalTransition):
        task_steps.give_back(task, worker=worker, reason_code="x", reason="不属网格", now=sh(2, 12))


def test_a_night_task_is_handed_over_when_the_shift_starts() -> None:
    task = new_task(MON_NIGHT)
    watch = task.assignee
    assert task.route is Route.VILLAGE_TEAM and task.pending_handover_at == sh(3, 8, 30)
    task_steps.accept(task, worker=ROSTER.worker(watch), now=sh(2, 20, 5))  # filed: 建档
    assert tick(task, territory=DUHU, roster=ROSTER, now=sh(3, 8, 29)) == []
    [step] = tick(task, territory=DUHU, roster=ROSTER, now=sh(3, 8, 30))
    assert (step.from_worker, step.to_worker, step.route) == (watch, "gw-01", Route.HANDOVER)
    assert task.assignee == "gw-01" and task.status is T.ACCEPTED


def test_an_unaccepted_task_moves_to_the_partner_when_its_worker_falls_away() -> None:
    task = new_task(accept_within=timedelta(hours=4))
    sick = on_leave("gw-01", sh(2, 10, 30), sh(4, 0))
    [step] = tick(task, territory=DUHU, roster=sick, now=sh(2, 11))
    assert (step.to_worker, step.route) == ("gw-02", Route.AB_PARTNER)
    assert tick(task, territory=DUHU, roster=sick, now=sh(2, 11, 5)) == []


def test_a_short_break_does_not_move_the_task() -> None:
    task = new_task(accept_within=timedelta(hours=24))
    assert tick(task, territory=DUHU, roster=ROSTER, now=sh(2, 12, 30)) == []  # lunch
    assert task.assignee == "gw-01"


def test_overdue_tasks_go_to_the_grid_head_once_per_clock() -> None:
    task = new_task(accept_within=timedelta(hours=2), due_within=timedelta(hours=26))
    [step] = tick(task, territory=DUHU, roster=ROSTER, now=sh(2, 12, 1))
    assert (step.to_worker, step.route) == ("gh-201", Route.ESCALATED)
    assert list(task.escalated) == [Clock.ACCEPT]
    assert tick(task, territory=DUHU, roster=ROSTER, now=sh(2, 12, 30)) == []
    head = ROSTER.worker("gh-201")
    task_steps.accept(task, worker=head, now=sh(2, 13))
    assert tick(task, territory=DUHU, roster=ROSTER, now=sh(3, 13)) == []  # head holds it already
    assert set(task.escalated) == {Clock.ACCEPT, Clock.FINISH}


# ----- patrol reports ---------------------------------------------------------------------


def status_of(report: PatrolReport) -> ReportStatus:
    """Read afresh, so mypy does not narrow the status across steps."""
    return report.status


PHOTO = Photo(name="IMG_0001.jpg", size=204_800, sha256="a" * 64, taken_at=sh(2, 9, 55))


def test_a_small_matter_is_advised_to_stay_in_the_grid_and_resolved_on_the_spot() -> None:
    filed = file_report(
        report_id="r-1", reporter=ROSTER.worker("gw-01"), category=Category.NEIGHBOUR,
        description="两户因排水沟堵塞争吵", location=IN_LIANHU_1, photos=[PHOTO], urgent=False,
        territory=DUHU, now=MON_10,
    )  # fmt: skip
    assert filed.grid == LIANHU_1 and filed.location.village == "440781105201"
    assert filed.advice()[0] is Disposal.IN_GRID
    told = resolve_on_spot(
        filed, worker=ROSTER.worker("gw-01"), result="疏通水沟, 双方和解", now=sh(2, 10, 40)
    )
    assert filed.status is ReportStatus.RESOLVED
    assert (
        told.resolved_on_the_spot is not None
        and told.resolved_on_the_spot.handler == "伍丽萍 (专职网格员)"
    )
    assert told.external_ref == "r-1" and told.channel.value == "grid"
    with pytest.raises(IllegalTransition):
        escalate_report(filed, worker=ROSTER.worker("gw-01"), reason="再报", now=sh(2, 11))


@pytest.mark.parametrize(
    ("category", "urgent"), [(Category.THEFT, False), (Category.NEIGHBOUR, True)]
)
def test_theft_or_anything_urgent_is_advised_up_and_escalation_needs_a_reason(
    category: Category, urgent: bool
) -> None:
    filed = file_report(
        report_id="r-2", reporter=ROSTER.worker("gw-01"), category=category,
        description="青蟹被盗", location=IN_LIANHU_1, photos=[], urgent=urgent,
        territory=DUHU, now=MON_10,
    )  # fmt: skip
    assert filed.advice()[0] is Disposal.TO_HUB
    with pytest.raises(DomainError):
        escalate_report(filed, worker=ROSTER.worker("gw-01"), reason=" ", now=sh(2, 10, 5))
    assert filed.status is ReportStatus.REPORTED
    told = escalate_report(
        filed, worker=ROSTER.worker("gw-01"), reason="需公安侦查", now=sh(2, 10, 5)
    )
    assert told.resolved_on_the_spot is None and told.emergency is urgent
    assert status_of(filed) is ReportStatus.ESCALATED


def test_reports_are_refused_at_sea_from_the_village_team_and_with_bad_photos() -> None:
    kwargs: dict[str, object] = {
        "report_id": "r-3", "category": Category.ILLEGAL_AQUACULTURE, "description": "蚝排",
        "photos": [], "urgent": False, "territory": DUHU, "now": MON_10,
    }  # fmt: skip
    with pytest.raises(OutsideTerritory):
        file_report(reporter=ROSTER.worker("gw-01"), location=AT_SEA, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(NotAssignee):
        file_report(reporter=ROSTER.worker("vt-201-1"), location=IN_LIANHU_1, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Photo(name="x.jpg", size=10, sha256="not-a-hash", taken_at=MON_10)
    with pytest.raises(ValidationError):
        Photo(name="x.jpg", size=10, sha256="a" * 64, taken_at=datetime(2026, 3, 2, 10))
