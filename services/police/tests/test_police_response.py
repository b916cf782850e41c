"""The 1-3-5 minute rapid-response circle (135分钟快速反应圈) and the nearest unit (警力)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from fengqiao.contracts.codes import Category, Severity
from fengqiao.geo import haversine_m
from police.domain.errors import IllegalTransition
from police.domain.response import (
    TARGET,
    TRANSFER_PRIORITY,
    CircleShare,
    Priority,
    Response,
    ResponseLevel,
    Verdict,
    circle_report,
    response_level,
    transfer_priority,
)
from police.domain.units import (
    ALLOWED,
    Unit,
    UnitKind,
    UnitStatus,
    nearest_available,
)

P = Priority
L = ResponseLevel
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
SEC = timedelta(seconds=1)
MIN = timedelta(minutes=1)

# 都斛镇 centre, roughly; one metre north is this many degrees of latitude.
LON, LAT = 112.80, 21.93
DEG_PER_M = 1 / 111_195.0


def unit(
    unit_id: str,
    north_m: float = 0.0,
    *,
    status: UnitStatus = UnitStatus.AVAILABLE,
    kind: UnitKind = UnitKind.PATROL_CAR,
) -> Unit:
    return Unit(
        id=unit_id,
        call_sign=f"都斛{unit_id}",
        kind=kind,
        status=status,
        lon=LON,
        lat=LAT + north_m * DEG_PER_M,
    )


# ----- the level: priority, then the distance of the nearest free unit ---------------------


@pytest.mark.parametrize(
    ("priority", "nearest_m", "level"),
    [
        (P.CRITICAL, 80.0, L.ONE_MINUTE),
        (P.CRITICAL, 500.0, L.ONE_MINUTE),
        (P.CRITICAL, 501.0, L.THREE_MINUTES),
        (P.CRITICAL, 1500.0, L.THREE_MINUTES),
        (P.CRITICAL, 1501.0, L.FIVE_MINUTES),
        (P.CRITICAL, 12_000.0, L.FIVE_MINUTES),
        (P.CRITICAL, None, L.FIVE_MINUTES),
        (P.URGENT, 80.0, L.THREE_MINUTES),
        (P.URGENT, 2000.0, L.FIVE_MINUTES),
        (P.ROUTINE, 80.0, L.FIVE_MINUTES),
        (P.ROUTINE, None, L.FIVE_MINUTES),
        (P.NON_EMERGENCY, 80.0, None),
        (P.NON_EMERGENCY, None, None),
    ],
)
def test_level_is_the_looser_of_priority_and_reach(
    priority: Priority, nearest_m: float | None, level: ResponseLevel | None
) -> None:
    assert response_level(priority, nearest_m) is level


def test_a_close_unit_never_tightens_a_routine_incident() -> None:
    assert response_level(P.ROUTINE, 0.0) is L.FIVE_MINUTES


def test_every_priority_and_severity_has_a_row() -> None:
    assert set(TARGET) == set(Priority)
    assert set(TRANSFER_PRIORITY) == set(Severity)
    assert [lv.minutes for lv in ResponseLevel] == [1, 3, 5]


def test_hub_orders_send_a_unit_at_once_only_when_major() -> None:
    assert TRANSFER_PRIORITY[Severity.GENERAL] is P.NON_EMERGENCY
    assert TRANSFER_PRIORITY[Severity.MAJOR] is P.URGENT
    assert TRANSFER_PRIORITY[Severity.EXTRA_MAJOR] is P.CRITICAL


@pytest.mark.parametrize(
    ("category", "severity", "priority"),
    [
        (Category.THEFT, Severity.SIMPLE, P.ROUTINE),
        (Category.THEFT, Severity.GENERAL, P.ROUTINE),
        (Category.PUBLIC_ORDER, Severity.SIMPLE, P.ROUTINE),
        (Category.PUBLIC_ORDER, Severity.GENERAL, P.ROUTINE),
        (Category.THEFT, Severity.MAJOR, P.URGENT),
        (Category.PUBLIC_ORDER, Severity.EXTRA_MAJOR, P.CRITICAL),
        (Category.NEIGHBOUR, Severity.GENERAL, P.NON_EMERGENCY),
        (Category.NEIGHBOUR, Severity.SIMPLE, P.NON_EMERGENCY),
        (Category.NEIGHBOUR, Severity.MAJOR, P.URGENT),
    ],
)
def test_minor_street_matters_from_the_hub_get_the_five_minute_circle(
    category: Category, severity: Severity, priority: Priority
) -> None:
    assert transfer_priority(category, severity) is priority


def test_a_general_theft_from_the_hub_is_held_to_five_minutes() -> None:
    theft = transfer_priority(Category.THEFT, Severity.GENERAL)
    assert response_level(theft, 80.0) is L.FIVE_MINUTES
    other = transfer_priority(Category.NEIGHBOUR, Severity.GENERAL)
    assert response_level(other, 80.0) is None


def test_codes_carry_chinese_labels() -> None:
    assert P.CRITICAL.zh == "危急警情"
    assert L.THREE_MINUTES.zh == "3分钟响应圈"
    assert UnitKind.COMMUNITY_POLICE.zh == "社区民警"
    assert UnitKind.AUXILIARY.zh == "辅警"


# ----- inside or outside the circle ---------------------------------------------------------


def _response(level: ResponseLevel | None, arrival: timedelta | None) -> Response:
    return Response(
        level=level,
        received_at=T0,
        dispatched_at=T0 + 10 * SEC,
        arrived_at=None if arrival is None else T0 + arrival,
    )


@pytest.mark.parametrize(
    ("level", "arrival", "verdict"),
    [
        (L.ONE_MINUTE, 50 * SEC, Verdict.INSIDE),
        (L.ONE_MINUTE, MIN, Verdict.INSIDE),
        (L.ONE_MINUTE, MIN + SEC, Verdict.OUTSIDE),
        (L.THREE_MINUTES, 2 * MIN, Verdict.INSIDE),
        (L.THREE_MINUTES, 4 * MIN, Verdict.OUTSIDE),
        (L.FIVE_MINUTES, 5 * MIN, Verdict.INSIDE),
        (L.FIVE_MINUTES, 5 * MIN + SEC, Verdict.OUTSIDE),
    ],
)
def test_arrival_against_the_circle(
    level: ResponseLevel, arrival: timedelta, verdict: Verdict
) -> None:
    assert _response(level, arrival).verdict(now=T0 + timedelta(hours=1)) is verdict


def test_no_arrival_is_pending_while_time_is_left_then_a_miss() -> None:
    waiting = _response(L.THREE_MINUTES, None)
    assert waiting.verdict(now=T0 + 2 * MIN) is Verdict.PENDING
    assert waiting.verdict(now=T0 + 3 * MIN) is Verdict.PENDING
    assert waiting.verdict(now=T0 + 3 * MIN + SEC) is Verdict.OUTSIDE


def test_non_emergency_has_no_verdict() -> None:
    assert _response(None, 2 * MIN).verdict(now=T0 + MIN) is None


def test_the_station_share_by_level_and_overall() -> None:
    responses = [
        _response(L.ONE_MINUTE, 40 * SEC),
        _response(L.ONE_MINUTE, 90 * SEC),
        _response(L.THREE_MINUTES, 2 * MIN),
        _response(L.THREE_MINUTES, 170 * SEC),
        _response(L.THREE_MINUTES, 200 * SEC),
        _response(L.THREE_MINUTES, None),  # past its time at ``now``: a miss already
        _response(None, 30 * MIN),  # non-emergency: not counted
    ]
    responses.append(
        Response(level=L.FIVE_MINUTES, received_at=T0 + 58 * MIN)  # still on the way
    )
    report = circle_report(responses, now=T0 + timedelta(hours=1))

    assert report.by_level[L.ONE_MINUTE] == CircleShare(counted=2, inside=1)
    assert report.by_level[L.ONE_MINUTE].share == 0.5
    assert report.by_level[L.THREE_MINUTES] == CircleShare(counted=4, inside=2)
    assert report.by_level[L.FIVE_MINUTES].share is None  # nothing finished: no figure, not 0%
    assert report.overall == CircleShare(counted=6, inside=3)
    assert report.overall.share == 0.5


def test_an_empty_period_has_every_level_and_no_share() -> None:
    report = circle_report([], now=T0)
    assert set(report.by_level) == set(ResponseLevel)
    assert report.overall.share is None


# ----- distance and the nearest unit --------------------------------------------------------


def test_haversine_matches_known_distances() -> None:
    # One degree of latitude is ~111.2 km on the mean sphere.
    assert haversine_m(LON, 21.0, LON, 22.0) == pytest.approx(111_195, rel=1e-4)
    # Guangzhou (113.2644, 23.1291) to Jiangmen (113.0815, 22.5787): about 64 km.
    assert haversine_m(113.2644, 23.1291, 113.0815, 22.5787) == pytest.approx(64_000, rel=0.02)
    assert haversine_m(LON, LAT, LON, LAT) == 0.0
    a, b = (112.80, 21.93), (112.83, 21.95)
    assert haversine_m(*a, *b) == pytest.approx(haversine_m(*b, *a))


def test_nearest_available_skips_busy_and_off_duty_units() -> None:
    units = [
        unit("u1", 100, status=UnitStatus.DISPATCHED),
        unit("u2", 150, status=UnitStatus.OFF_DUTY),
        unit("u3", 200, status=UnitStatus.ON_SCENE),
        unit("u4", 900),
        unit("u5", 600),
    ]
    nearest = nearest_available(units, LON, LAT)
    assert nearest is not None
    assert nearest.unit.id == "u5"
    assert nearest.metres == pytest.approx(600, abs=1)


def test_nearest_available_is_none_when_every_unit_is_busy() -> None:
    assert nearest_available([unit("u1", 100, status=UnitStatus.DISPATCHED)], LON, LAT) is None
    assert nearest_available([], LON, LAT) is None


def test_equal_distances_go_to_the_lower_id_whatever_the_order() -> None:
    north, south = unit("b-car", 300), unit("a-foot", -300)
    for roster in ([north, south], [south, north]):
        nearest = nearest_available(roster, LON, LAT)
        assert nearest is not None
        assert nearest.unit.id == "a-foot"


def test_nearest_of_a_kind() -> None:
    units = [unit("car", 100), unit("cop", 700, kind=UnitKind.COMMUNITY_POLICE)]
    nearest = nearest_available(units, LON, LAT, kinds={UnitKind.COMMUNITY_POLICE})
    assert nearest is not None
    assert nearest.unit.id == "cop"


# ----- the unit's duty status ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to"), list(itertools.product(UnitStatus, UnitStatus)), ids=lambda s: s.value
)
def test_unit_move(start: UnitStatus, to: UnitStatus) -> None:
    u = unit("u1", status=start)
    if to in ALLOWED[start]:
        u.move(to)
        assert u.status is to
    else:
        with pytest.raises(IllegalTransition):
            u.move(to)
        assert u.status is start


def test_a_unit_cannot_be_dispatched_twice() -> None:
    u = unit("u1")
    u.move(UnitStatus.DISPATCHED)
    with pytest.raises(IllegalTransition, match="dispatched"):
        u.move(UnitStatus.DISPATCHED)
