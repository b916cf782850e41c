"""督办: yellow card at two thirds of a clock, red card when overdue, one level up per red card,
each card raised once, and the next moment the supervisor must look at the case."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from builders import (
    OFFICER,
    T0,
    accept_event,
    feedback_event,
    new_case,
    return_event,
    small_policy,
)
from fengqiao.contracts.codes import Card, Category, Clock, Level, Severity
from fengqiao.contracts.events import CaseEscalated, CaseSupervised
from fengqiao.contracts.orders import Notice
from intake.domain import loop
from intake.domain.case import Case, running_clocks
from intake.domain.policy import Policy, default_policy
from intake.domain.supervision import card_for, supervise
from intake.domain.timeline import Step

# small_policy(): accept within 60 s; the grid's order within 150 s; a simple case within
# 300 s (level grid), extra-major within 30 h (level county); escalations also go to the
# platform and the county hub.
POLICY = small_policy()
SEC = timedelta(seconds=1)
ACCEPT_DUE, FINISH_DUE, CASE_DUE = T0 + 60 * SEC, T0 + 150 * SEC, T0 + 300 * SEC
SUPERVISOR = "督办系统"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def level(case: Case) -> Level:
    """The case's level, read afresh (keeps mypy from narrowing it across steps)."""
    return case.level


def card(case: Case) -> Card | None:
    return case.card


def registered(severity: Severity = Severity.SIMPLE, policy: Policy = POLICY) -> Case:
    return new_case(Category.OTHER, severity=severity, policy=policy, title="路灯损坏")


def dispatched(severity: Severity = Severity.SIMPLE, policy: Policy = POLICY) -> Case:
    """Registered and dispatched at T0 to the grid: case-1-1."""
    case = registered(severity, policy)
    loop.assess(case, policy=policy, officer=OFFICER, now=T0)
    loop.dispatch(case, policy=policy, officer=OFFICER, now=T0, parties=[])
    return case


def run(case: Case, seconds: float, policy: Policy = POLICY) -> list[Notice]:
    return supervise(case, now=at(seconds), policy=policy)


def summary(notices: list[Notice]) -> list[tuple[str, str, str | None, str | None]]:
    """(recipient, event kind, clock, card) — or the levels for an escalation."""
    out: list[tuple[str, str, str | None, str | None]] = []
    for n in notices:
        if isinstance(n.data, CaseSupervised):
            out.append((n.recipient, "supervised", n.data.clock.value, n.data.card.value))
        else:
            assert isinstance(n.data, CaseEscalated)
            out.append((n.recipient, "escalated", n.data.from_level, n.data.to_level))
    return out


def accept(case: Case, seconds: float) -> None:
    loop.accepted(case, accept_event(case, "case-1-1", at(seconds)), event_id="a", agency="grid")


# ----- card_for ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "card"),
    [
        (-10, None),
        (0, None),
        (100, None),
        (199.999, None),
        (200, Card.YELLOW),  # exactly two thirds
        (250, Card.YELLOW),
        (299.999, Card.YELLOW),
        (300, Card.RED),  # due
        (3000, Card.RED),
    ],
)
def test_card_for(seconds: float, card: Card | None) -> None:
    assert card_for(T0, CASE_DUE, at(seconds)) is card


def test_a_zero_length_clock_is_red_once_due() -> None:
    assert card_for(T0, T0, at(-1)) is None
    assert card_for(T0, T0, T0) is Card.RED


# ----- clocks and cards -------------------------------------------------------------------


def test_the_clocks_of_a_dispatched_case() -> None:
    case = dispatched()
    assert [(a.id if a else None, c, s, d) for a, c, s, d in running_clocks(case)] == [
        ("case-1-1", Clock.ACCEPT, T0, ACCEPT_DUE),
        ("case-1-1", Clock.FINISH, T0, FINISH_DUE),
        (None, Clock.CASE, T0, CASE_DUE),
    ]


def test_nothing_before_two_thirds() -> None:
    case = dispatched()
    before = case.model_dump()
    assert run(case, 39.9) == []
    assert case.model_dump() == before
    assert card(case) is None and case.assignments[0].cards == {}


def test_yellow_at_two_thirds_goes_to_the_force() -> None:
    case = dispatched()
    notices = run(case, 40)
    assert summary(notices) == [("grid", "supervised", "accept", "yellow")]
    event = notices[0].data
    assert isinstance(event, CaseSupervised)
    assert (event.case_id, event.assignment_id, event.due_at, event.level) == (
        "case-1",
        "case-1-1",
        ACCEPT_DUE,
        Level.GRID,
    )
    assert "路灯损坏" in event.notice and "黄牌预警" in event.notice
    assert case.assignments[0].cards == {Clock.ACCEPT: Card.YELLOW}
    assert level(case) is Level.GRID, "a yellow card does not escalate"
    last = case.timeline[-1]
    assert (last.step, last.actor, last.assignment_id, last.at) == (
        Step.YELLOW_CARD,
        SUPERVISOR,
        "case-1-1",
        at(40),
    )
    assert last.reason == "签收时限 黄牌预警"
    assert not case.overdue


@pytest.mark.parametrize("again", [40, 50, 59.9])
def test_each_card_is_raised_once(again: float) -> None:
    case = dispatched()
    assert run(case, 40) != []
    after_first = case.model_dump()
    assert run(case, again) == []
    assert case.model_dump() == after_first


def test_red_when_overdue_escalates_one_level_and_tells_force_and_recipients() -> None:
    case = dispatched()
    run(case, 40)
    notices = run(case, 60)
    assert summary(notices) == [
        ("grid", "supervised", "accept", "red"),
        ("grid", "escalated", "grid", "village"),
        ("platform", "escalated", "grid", "village"),
        ("county-hub", "escalated", "grid", "village"),
    ]
    supervised, escalated = notices[0].data, notices[1].data
    assert isinstance(supervised, CaseSupervised) and supervised.level is Level.VILLAGE
    assert isinstance(escalated, CaseEscalated)
    assert (escalated.assignment_id, escalated.at, escalated.leader) == ("case-1-1", at(60), None)
    assert escalated.reason == "签收时限逾期: 网格 → 村(社区)"
    assert level(case) is Level.VILLAGE
    assert case.assignments[0].cards == {Clock.ACCEPT: Card.RED}
    assert case.overdue
    assert [(e.step, e.actor) for e in case.timeline[-2:]] == [
        (Step.RED_CARD, SUPERVISOR),
        (Step.ESCALATED, SUPERVISOR),
    ]
    # and only once
    after = case.model_dump()
    assert run(case, 60) == [] and run(case, 90) == []
    assert case.model_dump() == after


def test_a_late_pass_goes_straight_to_red() -> None:
    case = dispatched()
    notices = run(case, 61)
    assert [s for s in summary(notices) if s[1] == "supervised"] == [
        ("grid", "supervised", "accept", "red")
    ]
    assert [e.step for e in case.timeline].count(Step.YELLOW_CARD) == 0
    assert level(case) is Level.VILLAGE


def test_the_accept_clock_stops_at_acceptance() -> None:
    case = dispatched()
    accept(case, 30)
    assert [c for _, c, _, _ in running_clocks(case)] == [Clock.FINISH, Clock.CASE]
    assert run(case, 60) == []
    assert run(case, 99) == []
    assert case.assignments[0].cards == {}


def test_a_yellow_accept_card_never_turns_red_once_accepted() -> None:
    case = dispatched()
    run(case, 40)
    accept(case, 50)
    assert run(case, 70) == []
    assert case.assignments[0].cards == {Clock.ACCEPT: Card.YELLOW}
    assert level(case) is Level.GRID


def test_finish_and_case_clocks() -> None:
    case = dispatched()
    accept(case, 10)
    assert summary(run(case, 100)) == [("grid", "supervised", "finish", "yellow")]
    assert summary(run(case, 150)) == [
        ("grid", "supervised", "finish", "red"),
        ("grid", "escalated", "grid", "village"),
        ("platform", "escalated", "grid", "village"),
        ("county-hub", "escalated", "grid", "village"),
    ]
    # the case clock's notices go to the lead force that still owes its result
    notices = run(case, 200)
    assert summary(notices) == [("grid", "supervised", "case", "yellow")]
    event = notices[0].data
    assert isinstance(event, CaseSupervised)
    assert (event.assignment_id, event.level, event.due_at) == (None, Level.VILLAGE, CASE_DUE)
    assert card(case) is Card.YELLOW
    assert summary(run(case, 300)) == [
        ("grid", "supervised", "case", "red"),
        ("grid", "escalated", "village", "town"),
        ("platform", "escalated", "village", "town"),
        ("county-hub", "escalated", "village", "town"),
    ]
    assert card(case) is Card.RED and level(case) is Level.TOWN


def test_an_undispatched_case_escalates_to_the_recipients_only() -> None:
    case = registered()
    assert run(case, 200) == []  # yellow, but no force to urge yet
    assert card(case) is Card.YELLOW
    assert case.timeline[-1].step is Step.YELLOW_CARD
    assert summary(run(case, 300)) == [
        ("platform", "escalated", "grid", "village"),
        ("county-hub", "escalated", "grid", "village"),
    ]


def test_escalation_climbs_one_level_per_red_card() -> None:
    case = dispatched()
    run(case, 60)  # accept clock red
    assert level(case) is Level.VILLAGE
    accept(case, 61)
    run(case, 150)  # finish clock red
    assert level(case) is Level.TOWN
    run(case, 300)  # case clock red
    assert level(case) is Level.COUNTY
    moves = [e.reason for e in case.timeline if e.step is Step.ESCALATED]
    assert moves == [
        "签收时限逾期: 网格 → 村(社区)",
        "办结时限逾期: 村(社区) → 镇(街)",
        "案件办结时限逾期: 镇(街) → 县(区)",
    ]


def test_levels_go_up_to_the_city_and_stop() -> None:
    assert [lv.above() for lv in Level] == [
        Level.VILLAGE,
        Level.TOWN,
        Level.COUNTY,
        Level.CITY,
        Level.CITY,
    ]


def test_escalation_is_capped_at_the_city_and_names_the_leader() -> None:
    case = dispatched(Severity.EXTRA_MAJOR)
    assert level(case) is Level.COUNTY
    assert case.leader == "县委政法委副书记 黄志强"
    escalated = [n.data for n in run(case, 60) if isinstance(n.data, CaseEscalated)]
    assert {(e.from_level, e.to_level, e.leader) for e in escalated} == {
        (Level.COUNTY, Level.CITY, "县委政法委副书记 黄志强")
    }
    accept(case, 61)
    escalated = [n.data for n in run(case, 150) if isinstance(n.data, CaseEscalated)]
    assert {(e.from_level, e.to_level) for e in escalated} == {(Level.CITY, Level.CITY)}
    assert level(case) is Level.CITY


def test_a_returned_order_is_no_longer_supervised() -> None:
    case = dispatched()
    loop.returned(case, return_event(case, "case-1-1", at(10)), event_id="r", agency="grid")
    assert [(a, c) for a, c, _, _ in running_clocks(case)] == [(None, Clock.CASE)]
    assert run(case, 61) == []
    assert case.next_check_at == at(200)


# ----- next_check_at ----------------------------------------------------------------------


def test_next_check_at_is_the_earliest_pending_threshold() -> None:
    case = registered()
    assert case.next_check_at == at(200)  # the case clock's yellow; set at registration
    case = dispatched()
    assert case.next_check_at == at(40)  # the accept clock's yellow
    run(case, 40)
    assert case.next_check_at == ACCEPT_DUE  # yellow held: next is its red
    accept(case, 45)
    assert case.next_check_at == at(100)  # the finish clock's yellow
    run(case, 100)
    assert case.next_check_at == FINISH_DUE
    run(case, 150)
    assert case.next_check_at == at(200)  # finish red: only the case clock remains
    run(case, 200)
    assert case.next_check_at == CASE_DUE
    run(case, 300)
    assert case.next_check_at is None  # every clock is red: nothing more can fall


def test_next_check_at_is_none_once_closed_and_set_again_when_reopened() -> None:
    case = dispatched()
    accept(case, 10)
    loop.feedback(case, feedback_event(case, "case-1-1", at(20)), event_id="f", agency="grid")
    assert [c for _, c, _, _ in running_clocks(case)] == [Clock.CASE], "waits for verification"
    loop.verify(case, officer=OFFICER, now=at(30), passed=True, note="ok")
    loop.close(case, officer=OFFICER, now=at(30), summary="已修复")
    assert running_clocks(case) == []
    assert run(case, 30) == []
    assert case.next_check_at is None
    assert run(case, 10_000) == [], "a closed case is never carded"

    loop.follow_up(
        case, officer=OFFICER, now=at(100), satisfaction=1, comment="又坏了", policy=POLICY
    )
    assert case.due_at == at(400)  # a fresh 300 s case clock from the follow-up
    assert case.next_check_at is not None, "a reopened case must be supervised again"


def test_a_reopened_case_gets_a_fresh_case_clock() -> None:
    """Reopened at +100 s with a fresh 300 s clock (due +400 s): the yellow card falls at two
    thirds of that clock, +300 s — not at two thirds of registration → new due."""
    case = dispatched()
    accept(case, 10)
    loop.feedback(case, feedback_event(case, "case-1-1", at(20)), event_id="f", agency="grid")
    loop.verify(case, officer=OFFICER, now=at(30), passed=True, note="ok")
    loop.close(case, officer=OFFICER, now=at(30), summary="已修复")
    loop.follow_up(
        case, officer=OFFICER, now=at(100), satisfaction=1, comment="又坏了", policy=POLICY
    )
    assert case.next_check_at == at(300)
    assert run(case, 299) == []
    assert summary(run(case, 300)) == []  # yellow; no live order to urge until re-dispatch
    assert card(case) is Card.YELLOW


def test_a_case_reopened_a_month_later_is_not_carded_at_once() -> None:
    """Default policy: a simple case (3 calendar days) closed on day 1 and reopened by an
    unhappy follow-up on day 30 has three fresh days; it must not be yellow-carded at once."""
    policy = default_policy()
    case = new_case(Category.OTHER, severity=Severity.SIMPLE, title="路灯损坏")
    loop.assess(case, policy=policy, officer=OFFICER, now=T0)
    loop.dispatch(case, policy=policy, officer=OFFICER, now=T0, parties=[])
    aid = case.assignments[0].id
    loop.accepted(case, accept_event(case, aid, at(60)), event_id="a", agency="grid")
    loop.feedback(case, feedback_event(case, aid, at(120)), event_id="f", agency="grid")
    loop.verify(case, officer=OFFICER, now=T0 + timedelta(days=1), passed=True, note="ok")
    loop.close(case, officer=OFFICER, now=T0 + timedelta(days=1), summary="已修复")
    reopened_at = T0 + timedelta(days=30)
    loop.follow_up(
        case, officer=OFFICER, now=reopened_at, satisfaction=2, comment="又坏了", policy=policy
    )
    assert case.due_at == reopened_at + timedelta(days=3)
    assert supervise(case, now=reopened_at + timedelta(minutes=1), policy=policy) == []
    assert card(case) is None
    assert case.next_check_at == reopened_at + timedelta(days=2)


def test_clocks_that_run_out_together_move_the_case_up_one_level_not_several() -> None:
    """Never supervised until long after every deadline: the accept, finish and case clocks
    all turn red in one pass; that is one lapse, so the case goes up one level, once."""
    case = dispatched()
    notices = run(case, 10_000)
    escalations = [n.data for n in notices if isinstance(n.data, CaseEscalated)]
    assert {(e.from_level, e.to_level) for e in escalations} == {(Level.GRID, Level.VILLAGE)}
    assert level(case) is Level.VILLAGE
    cards = [n.data for n in notices if isinstance(n.data, CaseSupervised)]
    assert {c.clock for c in cards if c.card is Card.RED} == set(Clock), "every clock goes red"
    assert [e.step for e in case.timeline].count(Step.ESCALATED) == 1
