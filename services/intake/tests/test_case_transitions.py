"""Every legal and illegal transition of the case (案件) and of the assignment (交办单)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from builders import (
    CHIEF,
    OFFICER,
    T0,
    accept_event,
    assess_and_dispatch,
    by_agency,
    closed_case,
    feedback_event,
    new_case,
    party,
    progress_event,
    return_event,
    work_all,
)
from fengqiao.contracts.codes import Action, Category, Flag, Outcome, Severity
from fengqiao.contracts.events import CaseClosed, CaseTransferred
from fengqiao.contracts.orders import Notice
from intake.domain import loop
from intake.domain.assignment import ALLOWED, Assignment, AssignmentStatus
from intake.domain.case import Case, CaseStatus
from intake.domain.errors import IllegalTransition, NoRuleMatched, UnknownAssignment
from intake.domain.policy import TaskSpec, default_policy, parse_policy
from intake.domain.timeline import Step

S = AssignmentStatus
C = CaseStatus
POLICY = default_policy()
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DISPATCH_AT = T0 + 10 * MIN


def status(case: Case) -> CaseStatus:
    """The case's status, read afresh (keeps mypy from narrowing it across steps)."""
    return case.status


# ----- the assignment ---------------------------------------------------------------------


def _assignment(status: AssignmentStatus) -> Assignment:
    return Assignment(
        id="case-1-1",
        agency="justice",
        action=Action.MEDIATE,
        lead=True,
        status=status,
        sent_at=T0,
        accept_by=T0 + 24 * HOUR,
        due_at=T0 + 72 * HOUR,
    )


def test_allowed_covers_every_status_and_ends_in_returned_or_feedback() -> None:
    assert set(ALLOWED) == set(AssignmentStatus)
    assert ALLOWED[S.RETURNED] == frozenset()
    assert ALLOWED[S.FEEDBACK] == frozenset()


@pytest.mark.parametrize(
    ("start", "to"),
    list(itertools.product(AssignmentStatus, AssignmentStatus)),
    ids=lambda s: s.value,
)
def test_assignment_move(start: AssignmentStatus, to: AssignmentStatus) -> None:
    assignment = _assignment(start)
    if to in ALLOWED[start]:
        assignment.move(to)
        assert assignment.status is to
    else:
        with pytest.raises(IllegalTransition):
            assignment.move(to)
        assert assignment.status is start


def test_the_legal_assignment_moves_are_exactly_these() -> None:
    legal = {(a.value, b.value) for a in S for b in ALLOWED[a]}
    assert legal == {
        ("sent", "accepted"),
        ("sent", "returned"),
        ("accepted", "in_progress"),
        ("accepted", "feedback"),
        ("in_progress", "in_progress"),
        ("in_progress", "feedback"),
    }


def test_live_and_open() -> None:
    sent, returned, done = _assignment(S.SENT), _assignment(S.RETURNED), _assignment(S.FEEDBACK)
    assert sent.live and sent.open
    assert not returned.live and not returned.open
    assert done.live and not done.open
    done.superseded = True
    assert not done.live


# ----- the case: legal paths --------------------------------------------------------------


def dispatched() -> Case:
    """A land-contract dispute, dispatched to 司法所 (case-1-1) and the grid (case-1-2)."""
    case = new_case(Category.LAND_RURAL, title="土地承包合同纠纷", description="发包期满后续包争议")
    assess_and_dispatch(case, now=DISPATCH_AT)
    return case


def awaiting() -> Case:
    case = dispatched()
    work_all(case, at=T0 + HOUR)
    assert status(case) is C.AWAITING_VERIFICATION
    return case


def verified() -> Case:
    case = awaiting()
    loop.verify(case, officer=CHIEF, now=T0 + 2 * HOUR, passed=True, note="回访核实")
    return case


def closed() -> Case:
    case = verified()
    loop.close(case, officer=CHIEF, now=T0 + 3 * HOUR, summary="已调解结案")
    return case


def steps(case: Case) -> list[tuple[str, str, str, str | None]]:
    return [(e.step.value, e.actor, e.status, e.assignment_id) for e in case.timeline]


def test_the_whole_loop_writes_one_timeline_entry_per_step() -> None:
    case = new_case(Category.LAND_RURAL)
    assert status(case) is C.REGISTERED
    assert steps(case) == [("registered", "王晓明", "registered", None)]

    loop.assess(case, policy=POLICY, officer=OFFICER, now=DISPATCH_AT)
    assert status(case) is C.ASSESSED
    notices = loop.dispatch(case, policy=POLICY, officer=OFFICER, now=DISPATCH_AT, parties=[])
    assert status(case) is C.DISPATCHED
    assert [n.recipient for n in notices] == ["justice", "grid"]
    justice, grid = case.assignments
    assert (justice.id, grid.id) == ("case-1-1", "case-1-2")

    loop.accepted(
        case,
        accept_event(case, justice.id, T0 + HOUR, "调解员 林"),
        event_id="e1",
        agency="justice",
    )
    loop.accepted(
        case, accept_event(case, grid.id, T0 + HOUR, "网格员 李"), event_id="e2", agency="grid"
    )
    loop.progressed(
        case, progress_event(case, justice.id, T0 + 2 * HOUR), event_id="e3", agency="justice"
    )
    loop.progressed(
        case, progress_event(case, justice.id, T0 + 3 * HOUR), event_id="e4", agency="justice"
    )
    loop.feedback(case, feedback_event(case, grid.id, T0 + 4 * HOUR), event_id="e5", agency="grid")
    assert status(case) is C.DISPATCHED, "one force has not reported back yet"
    loop.feedback(
        case, feedback_event(case, justice.id, T0 + 5 * HOUR), event_id="e6", agency="justice"
    )
    assert status(case) is C.AWAITING_VERIFICATION
    assert justice.status is S.FEEDBACK and grid.status is S.FEEDBACK
    assert [p.note for p in justice.progress] == ["已约双方面谈", "已约双方面谈"]

    loop.verify(case, officer=CHIEF, now=T0 + 6 * HOUR, passed=True, note="核实属实")
    assert status(case) is C.VERIFIED and case.verified_at == T0 + 6 * HOUR
    loop.close(case, officer=CHIEF, now=T0 + 7 * HOUR, summary="已调解结案")
    assert status(case) is C.CLOSED
    assert case.closure is not None
    assert (case.closure.outcome, case.closure.by) == ("resolved", "赵丽华")
    loop.follow_up(
        case, officer=OFFICER, now=T0 + 30 * HOUR, satisfaction=5, comment="满意", policy=POLICY
    )
    assert status(case) is C.FOLLOWED_UP

    assert steps(case) == [
        ("registered", "王晓明", "registered", None),
        ("assessed", "王晓明", "assessed", None),
        ("dispatched", "王晓明", "assessed", "case-1-1"),
        ("dispatched", "王晓明", "assessed", "case-1-2"),
        ("accepted", "justice: 调解员 林", "dispatched", "case-1-1"),
        ("accepted", "grid: 网格员 李", "dispatched", "case-1-2"),
        ("progressed", "justice", "dispatched", "case-1-1"),
        ("progressed", "justice", "dispatched", "case-1-1"),
        ("feedback", "grid", "dispatched", "case-1-2"),
        ("feedback", "justice", "dispatched", "case-1-1"),
        ("awaiting_verification", "hub", "awaiting_verification", None),
        ("verified", "赵丽华", "verified", None),
        ("closed", "赵丽华", "closed", None),
        ("followed_up", "王晓明", "followed_up", None),
    ]
    assert [e.event_id for e in case.timeline if e.event_id] == ["e1", "e2", "e3", "e4", "e5", "e6"]
    assert [e.at for e in case.timeline] == sorted(e.at for e in case.timeline)
    assert case.timeline[-1].reason == "satisfaction 5: 满意"


def test_an_emergency_case_orders_the_forces_as_emergencies() -> None:
    urgent = new_case(Category.THEFT, flags={Flag.EMERGENCY}, case_id="urgent")
    calm = new_case(Category.THEFT, case_id="calm")
    orders = [
        n.data
        for case in (urgent, calm)
        for n in assess_and_dispatch(case, now=DISPATCH_AT)
        if isinstance(n.data, CaseTransferred)
    ]
    assert [(o.case_id, o.emergency) for o in orders] == [("urgent", True), ("calm", False)]


def test_dispatch_sends_one_order_per_planned_task_with_its_clocks() -> None:
    case = new_case(Category.LAND_RURAL, title="土地承包合同纠纷")
    loop.assess(case, policy=POLICY, officer=OFFICER, now=DISPATCH_AT)
    notices = loop.dispatch(
        case, policy=POLICY, officer=OFFICER, now=DISPATCH_AT, parties=[party()]
    )
    orders = [n.data for n in notices]
    assert all(isinstance(o, CaseTransferred) for o in orders)
    justice, grid = (o for o in orders if isinstance(o, CaseTransferred))
    assert (justice.assignment_id, justice.action, justice.lead, justice.unit) == (
        "case-1-1",
        Action.MEDIATE,
        True,
        "rural_land",
    )
    assert (grid.assignment_id, grid.action, grid.lead, grid.unit) == (
        "case-1-2",
        Action.VERIFY,
        False,
        None,
    )
    # accept within 24 hours; the grid has 3 days, the justice office the case's deadline
    assert justice.accept_by == grid.accept_by == DISPATCH_AT + 24 * HOUR
    assert grid.due_at == DISPATCH_AT + timedelta(days=3)
    assert justice.due_at == case.due_at
    assert justice.tracking_code == case.tracking_code == "FQ-case-1"
    assert justice.title == "土地承包合同纠纷"
    assert [p.name for p in justice.parties] == ["陈阿福"]
    assert [(a.agency, a.status) for a in case.assignments] == [
        ("justice", S.SENT),
        ("grid", S.SENT),
    ]


def test_a_task_due_after_the_case_is_capped_at_the_case_deadline() -> None:
    # simple case: 3 calendar days; the grid's 5-day visit must not outlive it
    case = new_case(Category.CROP_INSURANCE, severity=Severity.SIMPLE, title="水稻保险赔偿")
    assess_and_dispatch(case, now=DISPATCH_AT)
    assert by_agency(case, "grid").due_at == case.due_at == T0 + timedelta(days=3)


def test_a_return_sends_the_case_to_reassessment_and_redispatch_replaces_only_that_task() -> None:
    case = dispatched()
    loop.accepted(case, accept_event(case, "case-1-2", T0 + HOUR), event_id="a", agency="grid")
    loop.returned(
        case,
        return_event(case, "case-1-1", T0 + 2 * HOUR, reason="需法院诉前调解"),
        event_id="r",
        agency="justice",
    )
    assert status(case) is C.REASSESSMENT
    returned = case.assignment("case-1-1")
    assert returned.status is S.RETURNED and not returned.live
    assert returned.returned_at == T0 + 2 * HOUR
    assert (returned.return_reason_code, returned.return_reason) == (
        "not_competent",
        "需法院诉前调解",
    )
    assert case.timeline[-1].step is Step.RETURNED
    assert case.timeline[-1].actor == "justice"
    assert case.timeline[-1].reason == "not_competent: 需法院诉前调解"
    assert case.timeline[-1].status == "reassessment"
    grid_before = case.assignment("case-1-2").model_dump()

    loop.assess(case, policy=POLICY, officer=CHIEF, now=T0 + 3 * HOUR)
    notices = loop.dispatch(
        case, policy=POLICY, officer=CHIEF, now=T0 + 3 * HOUR, parties=[party()]
    )

    assert [n.recipient for n in notices] == ["justice"]
    assert isinstance(notices[0].data, CaseTransferred)
    assert notices[0].data.assignment_id == "case-1-3"
    assert status(case) is C.DISPATCHED
    assert [a.id for a in case.live_assignments] == ["case-1-2", "case-1-3"]
    assert case.assignment("case-1-2").model_dump() == grid_before, "the grid keeps its order"
    assert case.assignment("case-1-3").sent_at == T0 + 3 * HOUR
    assert case.assignment("case-1-3").status is S.SENT


def test_a_return_while_the_other_force_is_done_still_needs_the_new_order() -> None:
    case = dispatched()
    work_grid = by_agency(case, "grid")
    loop.accepted(case, accept_event(case, work_grid.id, T0 + HOUR), event_id="a", agency="grid")
    loop.feedback(
        case, feedback_event(case, work_grid.id, T0 + 2 * HOUR), event_id="f", agency="grid"
    )
    loop.returned(
        case, return_event(case, "case-1-1", T0 + 3 * HOUR), event_id="r", agency="justice"
    )
    assert status(case) is C.REASSESSMENT
    assess_and_dispatch(case, now=T0 + 4 * HOUR)
    assert status(case) is C.DISPATCHED, "the new justice order is still open"
    new = by_agency(case, "justice")
    loop.accepted(case, accept_event(case, new.id, T0 + 5 * HOUR), event_id="a2", agency="justice")
    loop.feedback(
        case, feedback_event(case, new.id, T0 + 6 * HOUR), event_id="f2", agency="justice"
    )
    assert status(case) is C.AWAITING_VERIFICATION


def test_failed_verification_sends_the_case_back_with_a_fresh_round() -> None:
    case = awaiting()
    loop.verify(case, officer=CHIEF, now=T0 + 2 * HOUR, passed=False, note="现场未整改")
    assert status(case) is C.REASSESSMENT
    assert case.verified_at is None
    assert all(a.superseded and not a.live for a in case.assignments)
    last = case.timeline[-1]
    assert (last.step, last.actor, last.reason, last.status) == (
        Step.VERIFICATION_FAILED,
        "赵丽华",
        "现场未整改",
        "reassessment",
    )
    notices = assess_and_dispatch(case, now=T0 + 3 * HOUR)
    assert [n.recipient for n in notices] == ["justice", "grid"]
    assert [a.id for a in case.live_assignments] == ["case-1-3", "case-1-4"]
    assert len(case.assignments) == 4


@pytest.mark.parametrize("satisfaction", [3, 4, 5])
def test_a_satisfied_citizen_ends_the_loop(satisfaction: int) -> None:
    case = closed()
    loop.follow_up(
        case,
        officer=OFFICER,
        now=T0 + 48 * HOUR,
        satisfaction=satisfaction,
        comment="基本满意",
        policy=POLICY,
    )
    assert status(case) is C.FOLLOWED_UP
    assert case.reopened == 0
    assert Flag.REPEAT not in case.flags
    assert case.closure is not None
    assert [(f.satisfaction, f.by) for f in case.follow_ups] == [(satisfaction, "王晓明")]


@pytest.mark.parametrize("satisfaction", [1, 2])
def test_an_unhappy_citizen_reopens_the_case(satisfaction: int) -> None:
    case = closed()
    old_due = case.due_at
    now = T0 + timedelta(days=4)
    loop.follow_up(
        case, officer=OFFICER, now=now, satisfaction=satisfaction, comment="没解决", policy=POLICY
    )
    assert status(case) is C.REASSESSMENT
    assert case.reopened == 1
    assert Flag.REPEAT in case.flags
    assert case.closure is None and case.verified_at is None
    assert case.card is None
    assert case.due_at == POLICY.deadlines[Severity.GENERAL].due(now, POLICY.calendar)
    assert case.due_at > old_due
    assert all(a.superseded for a in case.assignments)
    assert case.live_assignments == []
    assert [(f.satisfaction, f.comment) for f in case.follow_ups] == [(satisfaction, "没解决")]
    last = case.timeline[-1]
    assert (last.step, last.actor, last.status) == (Step.REOPENED, "王晓明", "reassessment")
    assert last.reason == f"satisfaction {satisfaction}: 没解决"

    # the second round sends new orders to both forces, and can be closed again
    notices = assess_and_dispatch(case, now=now + HOUR)
    assert [(n.recipient, getattr(n.data, "assignment_id", None)) for n in notices] == [
        ("justice", "case-1-3"),
        ("grid", "case-1-4"),
    ]
    work_all(case, at=now + 2 * HOUR)
    loop.verify(case, officer=CHIEF, now=now + 3 * HOUR, passed=True, note="核实")
    loop.close(case, officer=CHIEF, now=now + 3 * HOUR, summary="二次办结")
    loop.follow_up(
        case, officer=OFFICER, now=now + 4 * HOUR, satisfaction=1, comment="仍不满意", policy=POLICY
    )
    assert case.reopened == 2
    assert case.flags == {Flag.REPEAT}


# ----- the case: illegal steps leave it unchanged -----------------------------------------


def refused(
    case: Case, step: Callable[[Case], object], error: type[Exception] = IllegalTransition
) -> None:
    before = case.model_dump()
    with pytest.raises(error):
        step(case)
    assert case.model_dump() == before, "a refused step must not change the case"


def _dispatch(case: Case) -> list[Notice]:
    return loop.dispatch(case, policy=POLICY, officer=OFFICER, now=T0 + HOUR, parties=[])


def _assess(case: Case) -> object:
    loop.assess(case, policy=POLICY, officer=OFFICER, now=T0 + HOUR)
    return None


def _verify(case: Case) -> object:
    loop.verify(case, officer=CHIEF, now=T0 + 5 * HOUR, passed=True, note="核实")
    return None


def _fail_verify(case: Case) -> object:
    loop.verify(case, officer=CHIEF, now=T0 + 5 * HOUR, passed=False, note="未整改")
    return None


def _close(case: Case) -> object:
    return loop.close(case, officer=CHIEF, now=T0 + 5 * HOUR, summary="结案")


def _follow_up(case: Case, satisfaction: int = 4) -> object:
    loop.follow_up(
        case,
        officer=OFFICER,
        now=T0 + 50 * HOUR,
        satisfaction=satisfaction,
        comment="",
        policy=POLICY,
    )
    return None


def _accept(aid: str, agency: str) -> Callable[[Case], object]:
    def step(case: Case) -> object:
        loop.accepted(case, accept_event(case, aid, T0 + 5 * HOUR), event_id="x", agency=agency)
        return None

    return step


def _return(aid: str, agency: str) -> Callable[[Case], object]:
    def step(case: Case) -> object:
        loop.returned(case, return_event(case, aid, T0 + 5 * HOUR), event_id="x", agency=agency)
        return None

    return step


def _progress(aid: str, agency: str) -> Callable[[Case], object]:
    def step(case: Case) -> object:
        loop.progressed(case, progress_event(case, aid, T0 + 5 * HOUR), event_id="x", agency=agency)
        return None

    return step


def _feedback(aid: str, agency: str) -> Callable[[Case], object]:
    def step(case: Case) -> object:
        loop.feedback(case, feedback_event(case, aid, T0 + 5 * HOUR), event_id="x", agency=agency)
        return None

    return step


def registered() -> Case:
    return new_case(Category.LAND_RURAL)


def justice_accepted() -> Case:
    case = dispatched()
    _accept("case-1-1", "justice")(case)
    return case


def justice_returned() -> Case:
    case = dispatched()
    _return("case-1-1", "justice")(case)
    return case


def one_feedback() -> Case:
    case = justice_accepted()
    _feedback("case-1-1", "justice")(case)
    return case


def followed_up() -> Case:
    case = closed()
    _follow_up(case)
    return case


def reopened() -> Case:
    case = closed()
    _follow_up(case, satisfaction=1)
    return case


def all_assigned_but_assessed() -> Case:
    """After a return the officer re-plans only the grid's task, which is already assigned."""
    case = justice_returned()
    loop.assess(
        case,
        policy=POLICY,
        officer=CHIEF,
        now=T0 + 6 * HOUR,
        override=loop.Override(
            tasks=[TaskSpec(agency="grid", action=Action.VERIFY)], reason="网格已核实, 无需调解"
        ),
    )
    assert status(case) is C.ASSESSED
    return case


ILLEGAL: list[tuple[str, Callable[[], Case], Callable[[Case], object], type[Exception]]] = [
    ("dispatch before assess", registered, _dispatch, IllegalTransition),
    ("dispatch twice", dispatched, _dispatch, IllegalTransition),
    ("assess while dispatched", dispatched, _assess, IllegalTransition),
    ("assess a closed case", closed, _assess, IllegalTransition),
    ("verify when registered", registered, _verify, IllegalTransition),
    ("verify before all feedback", one_feedback, _verify, IllegalTransition),
    ("fail verification before all feedback", one_feedback, _fail_verify, IllegalTransition),
    ("verify twice", verified, _verify, IllegalTransition),
    ("close when dispatched", dispatched, _close, IllegalTransition),
    ("close before verify", awaiting, _close, IllegalTransition),
    ("close twice", closed, _close, IllegalTransition),
    ("follow up before close", verified, _follow_up, IllegalTransition),
    ("follow up when dispatched", dispatched, _follow_up, IllegalTransition),
    ("follow up twice", followed_up, _follow_up, IllegalTransition),
    ("follow up a reopened case", reopened, _follow_up, IllegalTransition),
    (
        "feedback for an unknown assignment",
        dispatched,
        _feedback("case-1-9", "justice"),
        UnknownAssignment,
    ),
    ("accept an unknown assignment", dispatched, _accept("nope", "justice"), UnknownAssignment),
    ("return an unknown assignment", dispatched, _return("case-2-1", "justice"), UnknownAssignment),
    (
        "progress an unknown assignment",
        dispatched,
        _progress("case-1-7", "grid"),
        UnknownAssignment,
    ),
    ("accept from the wrong agency", dispatched, _accept("case-1-1", "grid"), IllegalTransition),
    ("return from the wrong agency", dispatched, _return("case-1-2", "police"), IllegalTransition),
    (
        "feedback from the wrong agency",
        justice_accepted,
        _feedback("case-1-1", "court"),
        IllegalTransition,
    ),
    (
        "progress from the wrong agency",
        justice_accepted,
        _progress("case-1-1", "grid"),
        IllegalTransition,
    ),
    ("feedback before accept", dispatched, _feedback("case-1-1", "justice"), IllegalTransition),
    ("progress before accept", dispatched, _progress("case-1-1", "justice"), IllegalTransition),
    ("accept twice", justice_accepted, _accept("case-1-1", "justice"), IllegalTransition),
    ("return after accept", justice_accepted, _return("case-1-1", "justice"), IllegalTransition),
    ("return twice", justice_returned, _return("case-1-1", "justice"), IllegalTransition),
    ("accept after return", justice_returned, _accept("case-1-1", "justice"), IllegalTransition),
    ("feedback twice", one_feedback, _feedback("case-1-1", "justice"), IllegalTransition),
    (
        "progress after a return",
        justice_returned,
        _progress("case-1-1", "justice"),
        IllegalTransition,
    ),
    (
        "feedback on a superseded order",
        reopened,
        _feedback("case-1-1", "justice"),
        IllegalTransition,
    ),
    (
        "follow-up satisfaction out of range",
        closed,
        lambda c: _follow_up(c, satisfaction=6),
        ValidationError,
    ),
    (
        "follow-up satisfaction zero",
        closed,
        lambda c: _follow_up(c, satisfaction=0),
        ValidationError,
    ),
]


@pytest.mark.parametrize(
    ("build", "step", "error"), [i[1:] for i in ILLEGAL], ids=[i[0] for i in ILLEGAL]
)
def test_an_illegal_step_is_refused_and_changes_nothing(
    build: Callable[[], Case], step: Callable[[Case], object], error: type[Exception]
) -> None:
    refused(build(), step, error)


def test_a_note_after_feedback_is_kept_as_a_supplement_and_changes_no_state() -> None:
    """补充说明: e.g. the grid's follow-up visit the police relay after their feedback."""
    case = one_feedback()
    before = status(case)
    _progress("case-1-1", "justice")(case)
    assignment = case.assignment("case-1-1")
    assert assignment.status is AssignmentStatus.FEEDBACK
    assert assignment.feedback is not None
    assert [p.note for p in assignment.progress][-1] == progress_event(
        case, "case-1-1", T0 + 5 * HOUR
    ).note
    assert status(case) is before
    assert case.timeline[-1].step is Step.PROGRESSED


def test_assessment_without_a_matching_rule_or_plan_is_refused() -> None:
    policy = parse_policy(
        {
            "version": "narrow",
            "deadlines": {s.value: {"days": 3} for s in Severity},
            "accept": {"hours": 24},
            "levels": {s.value: "village" for s in Severity},
            "rules": [
                {
                    "id": "theft",
                    "when": {"categories": ["theft"]},
                    "lead": {"agency": "police", "action": "investigate"},
                }
            ],
        }
    )
    case = new_case(Category.NEIGHBOUR, policy=policy)
    refused(
        case,
        lambda c: loop.assess(c, policy=policy, officer=OFFICER, now=T0 + HOUR),
        NoRuleMatched,
    )


# ----- closing: who is told, and with which outcome ---------------------------------------


def _closed_notices(case: Case, now: datetime) -> list[tuple[str, CaseClosed]]:
    notices = loop.close(case, officer=CHIEF, now=now, summary="结案归档")
    out = []
    for n in notices:
        assert isinstance(n.data, CaseClosed)
        out.append((n.recipient, n.data))
    return out


def test_close_tells_every_force_and_the_reporter_once() -> None:
    case = new_case(Category.LAND_RURAL, reporter="platform")
    assess_and_dispatch(case, now=DISPATCH_AT)
    work_all(case, at=T0 + HOUR)
    _verify(case)
    told = _closed_notices(case, T0 + 6 * HOUR)
    assert [r for r, _ in told] == ["justice", "grid", "platform"]
    for _, event in told:
        assert (event.case_id, event.closed_at, event.outcome, event.summary) == (
            "case-1",
            T0 + 6 * HOUR,
            Outcome.RESOLVED,
            "结案归档",
        )
    assert case.timeline[-1].step is Step.CLOSED
    assert case.timeline[-1].reason == "resolved: 结案归档"


def test_close_does_not_tell_a_reporter_that_is_also_a_force_twice() -> None:
    case = new_case(Category.LAND_RURAL, reporter="grid")
    assess_and_dispatch(case, now=DISPATCH_AT)
    work_all(case, at=T0 + HOUR)
    _verify(case)
    assert [r for r, _ in _closed_notices(case, T0 + 6 * HOUR)] == ["justice", "grid"]


def test_close_without_a_reporter_tells_only_the_forces() -> None:
    case = awaiting()
    _verify(case)
    assert [r for r, _ in _closed_notices(case, T0 + 6 * HOUR)] == ["justice", "grid"]


def test_a_force_that_returned_its_order_is_not_told() -> None:
    case = justice_returned()
    loop.assess(
        case,
        policy=POLICY,
        officer=CHIEF,
        now=T0 + 6 * HOUR,
        override=loop.Override(
            tasks=[
                TaskSpec(agency="court", action=Action.PRE_LITIGATION_MEDIATION),
                TaskSpec(agency="grid", action=Action.VERIFY),
            ],
            reason="合同纠纷, 转法院诉前调解",
        ),
    )
    assert [n.recipient for n in _dispatch(case)] == ["court"]
    work_all(case, at=T0 + 7 * HOUR)
    _verify(case)
    assert [r for r, _ in _closed_notices(case, T0 + 9 * HOUR)] == ["grid", "court"]


def test_a_force_whose_work_was_superseded_by_a_failed_verification_is_told() -> None:
    """司法所 mediated and reported back; verification failed and the officer gave the matter
    to the court instead. The justice office did work on the case, so it must hear of the
    closure to archive its part."""
    case = awaiting()
    _fail_verify(case)
    loop.assess(
        case,
        policy=POLICY,
        officer=CHIEF,
        now=T0 + 6 * HOUR,
        override=loop.Override(
            tasks=[TaskSpec(agency="court", action=Action.PRE_LITIGATION_MEDIATION)],
            reason="调解未果, 转法院诉前调解",
        ),
    )
    _dispatch(case)
    work_all(case, at=T0 + 7 * HOUR)
    _verify(case)
    told = sorted(r for r, _ in _closed_notices(case, T0 + 9 * HOUR))
    assert told == ["court", "grid", "justice"]


R, P, U, REF = Outcome.RESOLVED, Outcome.PARTLY_RESOLVED, Outcome.UNRESOLVED, Outcome.REFERRED


@pytest.mark.parametrize(
    ("justice", "grid", "overall"),
    [
        (R, R, R),
        (R, P, P),
        (R, U, P),
        (R, REF, P),
        (P, P, P),
        (P, U, P),
        (U, U, U),
        (REF, REF, REF),
        (REF, U, U),
    ],
    ids=lambda o: o.value,
)
def test_overall_outcome(justice: Outcome, grid: Outcome, overall: Outcome) -> None:
    case = closed_case(outcomes={"justice": justice, "grid": grid})
    assert loop.overall_outcome(case) is overall
    assert case.closure is not None and case.closure.outcome == overall.value


def test_overall_outcome_counts_only_the_current_round() -> None:
    case = dispatched()
    work_all(case, at=T0 + HOUR, outcomes={"justice": U, "grid": U})
    _fail_verify(case)
    assess_and_dispatch(case, now=T0 + 6 * HOUR)
    work_all(case, at=T0 + 7 * HOUR)
    assert loop.overall_outcome(case) is R


def test_overall_outcome_without_any_feedback_is_unresolved() -> None:
    assert loop.overall_outcome(dispatched()) is U


def test_the_officer_can_state_the_outcome_when_closing() -> None:
    case = verified()
    [(_, event), *_] = [
        (n.recipient, n.data)
        for n in loop.close(
            case, officer=CHIEF, now=T0 + 5 * HOUR, summary="已转法院立案", outcome=REF
        )
    ]
    assert isinstance(event, CaseClosed) and event.outcome is REF
    assert case.closure is not None and case.closure.outcome == "referred"


def test_re_planning_to_work_already_done_resumes_the_case_instead_of_sticking() -> None:
    """After justice returned, the officer keeps only the grid's task, which is already under
    way: dispatching sends nothing new and the case is being handled again."""
    case = all_assigned_but_assessed()
    assert _dispatch(case) == []
    assert status(case) is C.DISPATCHED
    assert [e.reason for e in case.timeline if e.step is Step.DISPATCHED][-1] == (
        "nothing new to send"
    )
