"""The incident (警情) from a hub order or the station's own intake: every step, every refusal,
and what the hub and the grid are told."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from fengqiao.contracts.codes import Action, Category, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
    Location,
    Party,
)
from fengqiao.contracts.orders import Notice
from police.domain import handling
from police.domain.errors import (
    IllegalTransition,
    NoUnitAvailable,
    TimeOutOfOrder,
    UnknownFollowUp,
    UnknownUnit,
)
from police.domain.incident import ALLOWED, Incident, IncidentStatus, Source
from police.domain.linkage import Linkage, grid_answered
from police.domain.reception import Report, from_report, from_transfer
from police.domain.response import Priority, ResponseLevel, Verdict
from police.domain.units import Unit, UnitKind, UnitStatus

S = IncidentStatus
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
SEC = timedelta(seconds=1)
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
LON, LAT = 112.80, 21.93
DEG_PER_M = 1 / 111_195.0
DESK = "值班民警 周"

SCENE = Location(
    city="440700",
    county="440781",
    town="440781105",
    village="440781105201",
    grid="440781105201001",
    address="都斛镇莲湖村海堤",
    lon=LON,
    lat=LAT,
)
VICTIM = Party(name="陈阿福", role="victim", phone="13812345678")


def unit(unit_id: str, north_m: float, status: UnitStatus = UnitStatus.AVAILABLE) -> Unit:
    return Unit(
        id=unit_id,
        call_sign=f"都斛巡{unit_id}",
        kind=UnitKind.PATROL_CAR,
        status=status,
        lon=LON,
        lat=LAT + north_m * DEG_PER_M,
    )


def roster() -> list[Unit]:
    return [unit("01", 1000), unit("02", 300), unit("03", 100, UnitStatus.DISPATCHED)]


def call_110(priority: Priority = Priority.CRITICAL, location: Location = SCENE) -> Incident:
    report = Report(
        source=Source.CALL_110,
        priority=priority,
        category=Category.PUBLIC_ORDER,
        title="村民在海堤打架",
        description="两名村民因蚝排界线发生肢体冲突",
        location=location,
    )
    return from_report("JQ-1", report, by=DESK, now=T0)


def transfer(severity: Severity = Severity.GENERAL) -> CaseTransferred:
    return CaseTransferred(
        case_id="case-7",
        assignment_id="case-7-1",
        tracking_code="FQ-case-7",
        category=Category.THEFT,
        severity=severity,
        action=Action.INVESTIGATE,
        lead=True,
        title="青蟹被盗",
        summary="养殖户反映塘中青蟹夜间被盗",
        location=SCENE,
        parties=[VICTIM],
        accept_by=T0 + timedelta(hours=24),
        due_at=T0 + timedelta(days=7),
    )


def hub_order(severity: Severity = Severity.GENERAL) -> Incident:
    return from_transfer("JQ-2", transfer(severity), now=T0)


def to_hub(notices: list[Notice]) -> list[str]:
    """The event types sent, all to the hub that gave the order."""
    assert all(n.recipient == "intake" for n in notices), notices
    return [n.data.event_type for n in notices]


def status(incident: Incident) -> IncidentStatus:
    """Read afresh, so mypy does not narrow it across steps."""
    return incident.status


# ----- the table ----------------------------------------------------------------------------


def test_table_covers_every_status_and_ends_in_closed_or_returned() -> None:
    assert set(ALLOWED) == set(IncidentStatus)
    assert ALLOWED[S.CLOSED] == frozenset() == ALLOWED[S.RETURNED]
    assert S.CLOSED in ALLOWED[S.DISPOSED]  # disposed on the spot: closed directly


@pytest.mark.parametrize(
    ("start", "to"), list(itertools.product(IncidentStatus, IncidentStatus)), ids=str
)
def test_move(start: IncidentStatus, to: IncidentStatus) -> None:
    incident = call_110()
    incident.status = start
    if to in ALLOWED[start]:
        incident.move(to, at=T0 + MIN, actor=DESK)
        assert incident.status is to
        assert incident.history[-1].status is to
    else:
        with pytest.raises(IllegalTransition):
            incident.move(to, at=T0 + MIN, actor=DESK)
        assert incident.status is start
        assert len(incident.history) == 1


# ----- the station's own intake -------------------------------------------------------------


def test_a_110_call_from_receipt_to_closure_on_the_spot() -> None:
    incident = call_110()
    assert (incident.status, incident.level) == (S.REPORTED, ResponseLevel.ONE_MINUTE)
    units = roster()

    assert handling.dispatch(incident, units, by=DESK, now=T0 + 20 * SEC) == []
    assert incident.unit_id == "02"  # the nearest *available*: 03 is closer but busy
    assert units[1].status is UnitStatus.DISPATCHED
    assert incident.nearest_m == pytest.approx(300, abs=1)
    assert incident.level is ResponseLevel.ONE_MINUTE

    assert handling.arrive(incident, by="都斛巡02", now=T0 + 55 * SEC) == []
    notices = handling.dispose(
        incident,
        by="都斛巡02",
        now=T0 + 20 * MIN,
        summary="已将双方分开, 口头调解",
        parties=[VICTIM],
    )
    assert [n.recipient for n in notices] == ["grid"]  # no hub: only the grid's follow-up
    closing = handling.close(
        incident, by=DESK, now=T0 + 30 * MIN, outcome=Outcome.RESOLVED, summary="当场调解"
    )
    assert closing == []

    assert incident.status is S.CLOSED
    assert (incident.received_at, incident.dispatched_at, incident.arrived_at) == (
        T0,
        T0 + 20 * SEC,
        T0 + 55 * SEC,
    )
    assert (incident.disposed_at, incident.closed_at) == (T0 + 20 * MIN, T0 + 30 * MIN)
    assert [e.status for e in incident.history] == [
        S.REPORTED,
        S.DISPATCHED,
        S.ON_SCENE,
        S.DISPOSED,
        S.CLOSED,
    ]
    assert incident.response.verdict(now=T0 + timedelta(hours=1)) is Verdict.INSIDE


def test_a_far_unit_widens_the_circle_and_a_late_arrival_is_a_miss() -> None:
    incident = call_110(Priority.CRITICAL)
    handling.dispatch(incident, [unit("01", 1000)], by=DESK, now=T0 + 10 * SEC)
    assert incident.level is ResponseLevel.THREE_MINUTES
    handling.arrive(incident, by="都斛巡01", now=T0 + 3 * MIN + SEC)
    assert incident.response.verdict(now=T0 + timedelta(hours=1)) is Verdict.OUTSIDE


def test_sending_a_farther_unit_does_not_loosen_the_circle() -> None:
    incident = call_110(Priority.CRITICAL)
    handling.dispatch(incident, roster(), by=DESK, now=T0 + 10 * SEC, unit_id="01")
    assert incident.unit_id == "01"
    assert incident.level is ResponseLevel.ONE_MINUTE  # the nearest free unit was 300 m away


def test_asking_for_a_community_officer_sends_one_but_keeps_the_circle() -> None:
    officer = Unit(
        id="m1", call_sign="社区民警 黄", kind=UnitKind.COMMUNITY_POLICE, lon=LON, lat=LAT + 0.02
    )
    incident = call_110(Priority.CRITICAL)
    handling.dispatch(
        incident, [*roster(), officer], by=DESK, now=T0, kinds={UnitKind.COMMUNITY_POLICE}
    )
    assert incident.unit_id == "m1"
    assert incident.level is ResponseLevel.ONE_MINUTE


def test_the_investigation_path_to_closure() -> None:
    incident = call_110(Priority.URGENT)
    handling.dispatch(incident, roster(), by=DESK, now=T0 + MIN)
    handling.arrive(incident, by="都斛巡02", now=T0 + 3 * MIN)
    handling.dispose(incident, by="都斛巡02", now=T0 + 30 * MIN, summary="现场勘查")
    handling.investigate(incident, by="侦查员 梁", now=T0 + 40 * MIN, note="调取监控")
    handling.close(
        incident, by=DESK, now=T0 + timedelta(days=2), outcome=Outcome.RESOLVED, summary="破案"
    )
    assert incident.investigation_at == T0 + 40 * MIN
    assert incident.outcome is Outcome.RESOLVED
    assert S.INVESTIGATING in [e.status for e in incident.history]


def test_a_desk_report_cannot_pose_as_a_hub_order() -> None:
    with pytest.raises(ValidationError, match="from_transfer"):
        Report(
            source=Source.HUB,
            priority=Priority.ROUTINE,
            category=Category.THEFT,
            title="x",
            location=SCENE,
        )


# ----- refusals -----------------------------------------------------------------------------


def test_dispatching_twice_is_refused_and_changes_nothing() -> None:
    incident = call_110()
    units = roster()
    handling.dispatch(incident, units, by=DESK, now=T0 + 10 * SEC)
    before = incident.model_dump()
    with pytest.raises(IllegalTransition, match="dispatched; it cannot become dispatched"):
        handling.dispatch(incident, units, by=DESK, now=T0 + 20 * SEC)
    assert incident.model_dump() == before
    assert units[0].status is UnitStatus.AVAILABLE  # the second call claimed no unit
    # The state is the reason, even when the roster is empty now.
    with pytest.raises(IllegalTransition, match="cannot become dispatched"):
        handling.dispatch(incident, [], by=DESK, now=T0 + 20 * SEC)


def test_arriving_before_dispatch_is_refused() -> None:
    incident = call_110()
    with pytest.raises(IllegalTransition, match="reported; it cannot become on_scene"):
        handling.arrive(incident, by="都斛巡02", now=T0 + MIN)
    assert incident.arrived_at is None


@pytest.mark.parametrize("steps", [0, 1, 2], ids=["reported", "dispatched", "on_scene"])
def test_closing_an_incident_not_disposed_is_refused(steps: int) -> None:
    incident = call_110()
    if steps >= 1:
        handling.dispatch(incident, roster(), by=DESK, now=T0 + 10 * SEC)
    if steps >= 2:
        handling.arrive(incident, by="都斛巡02", now=T0 + 50 * SEC)
    with pytest.raises(IllegalTransition, match="cannot become closed"):
        handling.close(incident, by=DESK, now=T0 + MIN, outcome=Outcome.RESOLVED, summary="x")
    assert incident.closed_at is None


def test_a_step_dated_before_the_last_is_refused() -> None:
    incident = call_110()
    handling.dispatch(incident, roster(), by=DESK, now=T0 + MIN)
    with pytest.raises(TimeOutOfOrder):
        handling.arrive(incident, by="都斛巡02", now=T0 + 30 * SEC)
    assert status(incident) is S.DISPATCHED


def test_no_free_unit_unknown_unit_and_busy_unit() -> None:
    incident = call_110()
    with pytest.raises(NoUnitAvailable, match="no available unit"):
        handling.dispatch(incident, [unit("03", 100, UnitStatus.OFF_DUTY)], by=DESK, now=T0)
    with pytest.raises(UnknownUnit):
        handling.dispatch(incident, roster(), by=DESK, now=T0, unit_id="99")
    with pytest.raises(IllegalTransition, match="unit 03 is dispatched"):
        handling.dispatch(incident, roster(), by=DESK, now=T0, unit_id="03")
    assert status(incident) is S.REPORTED


def test_without_coordinates_the_dispatcher_names_the_unit_and_the_circle_is_five() -> None:
    incident = call_110(location=Location(town="440781105", address="都斛镇墟"))
    with pytest.raises(NoUnitAvailable, match="no coordinates"):
        handling.dispatch(incident, roster(), by=DESK, now=T0)
    handling.dispatch(incident, roster(), by=DESK, now=T0, unit_id="02")
    assert incident.level is ResponseLevel.FIVE_MINUTES


# ----- a hub order: what the hub is told, and when ------------------------------------------


def test_a_hub_order_is_kept_with_its_ids_and_clocks() -> None:
    incident = hub_order()
    assert incident.source is Source.HUB
    assert incident.hub is not None
    assert (incident.hub.case_id, incident.hub.assignment_id) == ("case-7", "case-7-1")
    assert incident.hub.due_at == T0 + timedelta(days=7)
    # A general theft is a street matter: routine, inside the 5-minute circle.
    assert incident.priority is Priority.ROUTINE
    assert incident.response.level is ResponseLevel.FIVE_MINUTES
    assert hub_order(Severity.MAJOR).level is ResponseLevel.THREE_MINUTES
    overridden = from_transfer("JQ-3", transfer(), now=T0, priority=Priority.URGENT)
    assert overridden.priority is Priority.URGENT


def test_a_hub_order_answers_the_hub_at_every_step() -> None:
    incident = hub_order()
    accepted = handling.accept(incident, handler="社区民警 黄", now=T0 + 10 * MIN)
    assert to_hub(accepted) == [CaseAccepted.event_type]
    assert accepted[0].data == CaseAccepted(
        case_id="case-7",
        assignment_id="case-7-1",
        accepted_at=T0 + 10 * MIN,
        handler="社区民警 黄",
    )
    assert to_hub(handling.dispatch(incident, roster(), by=DESK, now=T0 + 2 * 60 * MIN)) == [
        CaseProgressed.event_type
    ]
    arrived = handling.arrive(incident, by="都斛巡02", now=T0 + 130 * MIN)
    assert to_hub(arrived) == [CaseProgressed.event_type]
    disposed = handling.dispose(
        incident, by="都斛巡02", now=T0 + 3 * 60 * MIN, summary="现场勘查", parties=[VICTIM]
    )
    assert [n.recipient for n in disposed] == ["intake", "grid"]
    assert to_hub(
        handling.investigate(incident, by="侦查员 梁", now=T0 + 4 * 60 * MIN, note="排查")
    ) == [CaseProgressed.event_type]
    feedback = handling.close(
        incident,
        by=DESK,
        now=T0 + timedelta(days=3),
        outcome=Outcome.RESOLVED,
        summary="抓获嫌疑人, 追回青蟹",
    )
    assert to_hub(feedback) == [CaseFeedback.event_type]
    assert feedback[0].data == CaseFeedback(
        case_id="case-7",
        assignment_id="case-7-1",
        at=T0 + timedelta(days=3),
        outcome=Outcome.RESOLVED,
        summary="抓获嫌疑人, 追回青蟹",
    )


def test_dispatching_an_unaccepted_order_accepts_it_first() -> None:
    incident = hub_order(Severity.MAJOR)
    notices = handling.dispatch(incident, roster(), by=DESK, now=T0 + MIN)
    # The hub refuses progress on an assignment not yet accepted: the order matters.
    assert to_hub(notices) == [CaseAccepted.event_type, CaseProgressed.event_type]
    accepted = notices[0].data
    assert isinstance(accepted, CaseAccepted)
    assert accepted.handler == "都斛巡02"
    assert incident.accepted_at == T0 + MIN


def test_accepting_twice_or_an_own_incident_is_refused() -> None:
    incident = hub_order()
    handling.accept(incident, handler="社区民警 黄", now=T0 + MIN)
    with pytest.raises(IllegalTransition, match="already accepted"):
        handling.accept(incident, handler="社区民警 黄", now=T0 + 2 * MIN)
    with pytest.raises(IllegalTransition, match="not a hub order"):
        handling.accept(call_110(), handler="x", now=T0 + MIN)


def test_an_order_not_for_the_police_goes_back_before_acceptance() -> None:
    incident = hub_order()
    notices = handling.return_to_hub(
        incident,
        reason_code="not_competent",
        reason="属民事纠纷, 非警务事项",
        by=DESK,
        now=T0 + MIN,
    )
    assert to_hub(notices) == [CaseReturned.event_type]
    assert incident.status is S.RETURNED
    assert incident.response.level is None

    accepted = hub_order()
    handling.accept(accepted, handler="社区民警 黄", now=T0 + MIN)
    with pytest.raises(IllegalTransition, match="can no longer be returned"):
        handling.return_to_hub(
            accepted, reason_code="not_competent", reason="x", by=DESK, now=T0 + 2 * MIN
        )


# ----- 警格+网格: the grid follows up ---------------------------------------------------------


def _disposed(
    incident: Incident,
    *,
    parties: list[Party] | None = None,
    grid_follow_up: bool = True,
    linkage: Linkage | None = None,
) -> list[Notice]:
    handling.dispatch(incident, roster(), by=DESK, now=T0 + MIN, unit_id="02")
    handling.arrive(incident, by="都斛巡02", now=T0 + 2 * MIN)
    return handling.dispose(
        incident,
        by="都斛巡02",
        now=T0 + 30 * MIN,
        summary="已调解",
        parties=parties,
        grid_follow_up=grid_follow_up,
        linkage=linkage,
    )


def test_disposal_inside_a_grid_asks_a_grid_worker_to_visit() -> None:
    incident = hub_order()
    notices = _disposed(incident, parties=[VICTIM])
    grid = [n for n in notices if n.recipient == "grid"]
    assert len(grid) == 1
    order = grid[0].data
    assert isinstance(order, CaseTransferred)
    assert order.action is Action.VISIT
    # The grid answers the police, about the incident: not the hub's case.
    assert (order.case_id, order.assignment_id) == ("JQ-2", "JQ-2-grid")
    assert order.tracking_code == "FQ-case-7"
    assert order.location == SCENE
    assert order.parties == [VICTIM]
    assert (order.accept_by, order.due_at) == (
        T0 + 30 * MIN + 24 * 60 * MIN,
        T0 + timedelta(days=3, minutes=30),
    )
    assert "已调解" in order.summary
    assert incident.grid_follow_up == "JQ-2-grid"


def test_a_grid_code_alone_is_enough_for_the_linkage() -> None:
    incident = call_110(location=Location(grid="440781105201001"))
    assert [n.recipient for n in _disposed(incident)] == ["grid"]


def test_no_linkage_outside_any_grid_or_when_declined() -> None:
    assert _disposed(call_110(location=Location(address="都斛镇外海"))) == []
    assert _disposed(call_110(), grid_follow_up=False) == []


def test_the_linkage_can_name_another_grid_agency_and_clock() -> None:
    linkage = Linkage(agency="grid-duhu", visit_within=timedelta(days=1))
    notices = _disposed(call_110(), linkage=linkage)
    assert [n.recipient for n in notices] == ["grid-duhu"]
    assert isinstance(notices[0].data, CaseTransferred)
    assert notices[0].data.due_at == T0 + 30 * MIN + timedelta(days=1)


def _visit_answers() -> tuple[CaseAccepted, CaseFeedback]:
    accepted = CaseAccepted(
        case_id="JQ-2", assignment_id="JQ-2-grid", accepted_at=T0 + HOUR, handler="网格员 陈"
    )
    done = CaseFeedback(
        case_id="JQ-2",
        assignment_id="JQ-2-grid",
        at=T0 + 5 * HOUR,
        outcome=Outcome.RESOLVED,
        summary="已走访, 当事人无异议",
    )
    return accepted, done


def test_the_grids_result_reaches_the_hub_through_the_station() -> None:
    incident = hub_order()
    _disposed(incident)
    accepted, done = _visit_answers()
    assert grid_answered(incident, accepted, agency="grid", now=T0 + HOUR) == []
    [relay] = grid_answered(incident, done, agency="grid", now=T0 + 5 * HOUR)
    assert relay.recipient == "intake"
    assert isinstance(relay.data, CaseProgressed)
    assert (relay.data.case_id, relay.data.assignment_id) == ("case-7", "case-7-1")
    assert "已走访, 当事人无异议" in relay.data.note
    assert [e.actor for e in incident.history[-2:]] == ["grid", "grid"]


def test_the_grids_result_on_the_stations_own_incident_stays_at_the_station() -> None:
    incident = call_110()
    _disposed(incident)
    incident.grid_follow_up = "JQ-2-grid"  # the id the station gave its own order
    assert grid_answered(incident, _visit_answers()[1], agency="grid", now=T0 + 5 * HOUR) == []
    assert "已走访" in (incident.history[-1].note or "")


def test_an_answer_to_a_follow_up_never_asked_is_refused_and_changes_nothing() -> None:
    incident = hub_order()
    before = incident.model_dump()
    with pytest.raises(UnknownFollowUp):
        grid_answered(incident, _visit_answers()[1], agency="grid", now=T0 + 5 * HOUR)
    assert incident.model_dump() == before


# ----- storage round trip -------------------------------------------------------------------


def test_an_incident_survives_a_json_round_trip() -> None:
    incident = hub_order()
    _disposed(incident)
    again = Incident.model_validate(incident.model_dump(mode="json"))
    assert again == incident
