"""Supervision cases (监督案件) from hub referrals: the field, every step and refusal, and what
the hub is told."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

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
from procuratorate.domain import suggesting, supervising
from procuratorate.domain.errors import (
    IllegalTransition,
    NotAddressee,
    NotSupervisable,
    TimeOutOfOrder,
    UnsupportedAction,
)
from procuratorate.domain.suggestion import Suggestion
from procuratorate.domain.supervision import (
    ALLOWED,
    Finding,
    SupervisionCase,
    SupervisionField,
    SupervisionStatus,
    field_for,
)

S = SupervisionStatus
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # Sunday 10:00 in Shanghai
HOUR = timedelta(hours=1)
PROSECUTOR = "检察官 李明"
DEPT = "dept-environment"
PLACE = Location(county="440781", town="440781105", address="都斛镇海堤")


def referral(
    category: Category = Category.ENVIRONMENT, action: Action = Action.SUPERVISE
) -> CaseTransferred:
    return CaseTransferred(
        case_id="case-9",
        assignment_id="case-9-2",
        tracking_code="FQ-case-9",
        category=category,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        title="养殖场废水直排入海",
        summary="村民反映养殖场废水直排, 环保部门未予查处",
        location=PLACE,
        parties=[Party(name="陈阿福", role="applicant")],
        accept_by=T0 + 24 * HOUR,
        due_at=T0 + timedelta(days=21),
    )


def received() -> SupervisionCase:
    return supervising.receive("JC-1", referral(), now=T0)


def investigating() -> SupervisionCase:
    case = received()
    supervising.accept(case, handler=PROSECUTOR, now=T0 + HOUR)
    supervising.investigate(case, by=PROSECUTOR, now=T0 + 2 * HOUR, note="调取执法卷宗")
    return case


def draft() -> suggesting.SuggestionDraft:
    return suggesting.SuggestionDraft(
        department=DEPT,
        subject="依法查处养殖废水直排",
        content="建议依法查处并督促整改",
        legal_basis="《中华人民共和国行政诉讼法》第二十五条第四款",
    )


def issued() -> tuple[SupervisionCase, Suggestion]:
    case = investigating()
    suggestion, _ = supervising.issue_suggestion(
        case, "JY-1", draft(), by=PROSECUTOR, now=T0 + 3 * HOUR
    )
    return case, suggestion


def replied(outcome: Outcome = Outcome.RESOLVED) -> tuple[SupervisionCase, Suggestion]:
    case, suggestion = issued()
    answer = CaseFeedback(
        case_id="JY-1", assignment_id="JY-1-reply", at=T0 + 4 * HOUR, outcome=outcome,
        summary="已立案查处, 责令停止排放",
    )  # fmt: skip
    suggesting.on_feedback(suggestion, answer, sender=DEPT, now=T0 + 4 * HOUR)
    supervising.record_reply(case, suggestion, now=T0 + 5 * HOUR)
    return case, suggestion


def to_hub(notices: list[Notice]) -> list[type]:
    assert all(n.recipient == "intake" for n in notices), notices
    return [type(n.data) for n in notices]


# ----- field and receipt -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "field"),
    [
        (Category.ADMINISTRATIVE_ENFORCEMENT, SupervisionField.ADMINISTRATIVE_ENFORCEMENT),
        (Category.ENVIRONMENT, SupervisionField.ENVIRONMENT),
        (Category.FOOD_DRUG, SupervisionField.FOOD_DRUG),
        (Category.WORK_SAFETY, SupervisionField.WORK_SAFETY),
    ],
)
def test_the_field_follows_the_category(category: Category, field: SupervisionField) -> None:
    assert field_for(category) is field
    assert supervising.receive("JC-1", referral(category), now=T0).field is field


@pytest.mark.parametrize("category", [Category.NEIGHBOUR, Category.THEFT, Category.OTHER])
def test_other_categories_are_not_supervisable(category: Category) -> None:
    with pytest.raises(NotSupervisable) as refused:
        supervising.receive("JC-1", referral(category), now=T0)
    assert refused.value.reason_code == "procuratorate.not_supervisable"


def test_a_refused_referral_goes_back_to_the_hub_with_the_reason_code() -> None:
    event = referral(Category.NEIGHBOUR)
    with pytest.raises(NotSupervisable) as refused:
        supervising.receive("JC-1", event, now=T0)
    [notice] = supervising.refusal(event, refused.value, now=T0)
    assert notice.recipient == "intake"
    assert isinstance(notice.data, CaseReturned)
    assert (notice.data.case_id, notice.data.assignment_id) == ("case-9", "case-9-2")
    assert notice.data.reason_code == "procuratorate.not_supervisable"
    assert "邻里纠纷" in notice.data.reason


@pytest.mark.parametrize("action", [Action.SUPERVISE, Action.HANDLE])
def test_supervise_and_handle_orders_are_taken(action: Action) -> None:
    case = supervising.receive("JC-1", referral(action=action), now=T0)
    assert case.status is S.RECEIVED
    assert case.order.assignment_id == "case-9-2"


@pytest.mark.parametrize("action", [Action.MEDIATE, Action.CONFIRM, Action.VISIT])
def test_other_actions_are_refused(action: Action) -> None:
    with pytest.raises(UnsupportedAction):
        supervising.receive("JC-1", referral(action=action), now=T0)


# ----- the table -------------------------------------------------------------------------


def test_table_covers_every_status_and_ends_in_closed_or_returned() -> None:
    assert set(ALLOWED) == set(SupervisionStatus)
    assert ALLOWED[S.CLOSED] == frozenset() == ALLOWED[S.RETURNED]
    assert S.CLOSED in ALLOWED[S.INVESTIGATING]  # no violation found


@pytest.mark.parametrize(("start", "to"), list(itertools.product(S, S)), ids=str)
def test_move(start: SupervisionStatus, to: SupervisionStatus) -> None:
    case = received()
    case.status = start
    if to in ALLOWED[start]:
        case.move(to, at=T0 + HOUR, actor=PROSECUTOR)
        assert case.status is to
        assert case.history[-1].status is to
    else:
        with pytest.raises(IllegalTransition):
            case.move(to, at=T0 + HOUR, actor=PROSECUTOR)
        assert case.status is start
        assert len(case.history) == 1


# ----- the loop --------------------------------------------------------------------------


def test_from_referral_to_closure_after_the_department_rectified() -> None:
    case = received()
    assert to_hub(supervising.accept(case, handler=PROSECUTOR, now=T0 + HOUR)) == [CaseAccepted]
    notes = supervising.investigate(case, by=PROSECUTOR, now=T0 + 2 * HOUR, note="现场勘查")
    assert to_hub(notes) == [CaseProgressed]
    assert case.status is S.INVESTIGATING

    suggestion, notices = supervising.issue_suggestion(
        case, "JY-1", draft(), by=PROSECUTOR, now=T0 + 3 * HOUR
    )
    assert [n.recipient for n in notices] == ["intake", DEPT]
    assert isinstance(notices[0].data, CaseProgressed)
    assert "依法查处养殖废水直排" in notices[0].data.note
    assert (case.status, case.suggestion_id, suggestion.case_id) == (
        S.SUGGESTION_ISSUED, "JY-1", "JC-1",
    )  # fmt: skip

    answer = CaseFeedback(
        case_id="JY-1", assignment_id="JY-1-reply", at=T0 + 4 * HOUR,
        outcome=Outcome.RESOLVED, summary="已责令停止排放并罚款",
    )  # fmt: skip
    suggesting.on_feedback(suggestion, answer, sender=DEPT, now=T0 + 4 * HOUR)
    [reply] = supervising.record_reply(case, suggestion, now=T0 + 5 * HOUR)
    assert isinstance(reply.data, CaseProgressed)
    assert reply.data.note == "部门回复: 已责令停止排放并罚款"
    assert (case.status, case.rectified) == (S.REPLIED, True)

    [done] = supervising.close(case, by=PROSECUTOR, now=T0 + 6 * HOUR, summary="监督到位")
    assert isinstance(done.data, CaseFeedback)
    assert (done.data.outcome, done.data.summary) == (Outcome.RESOLVED, "监督到位")
    assert (case.status, case.finding) == (S.CLOSED, Finding.RECTIFIED)
    assert [e.status for e in case.history] == [
        S.RECEIVED, S.ACCEPTED, S.INVESTIGATING, S.SUGGESTION_ISSUED, S.REPLIED, S.CLOSED,
    ]  # fmt: skip


def test_a_department_that_did_not_rectify_closes_unresolved() -> None:
    case, _ = replied(Outcome.UNRESOLVED)
    [done] = supervising.close(case, by=PROSECUTOR, now=T0 + 6 * HOUR, summary="拟提起公益诉讼")
    assert isinstance(done.data, CaseFeedback)
    assert done.data.outcome is Outcome.UNRESOLVED
    assert case.finding is Finding.NOT_RECTIFIED


def test_no_violation_closes_straight_from_the_investigation() -> None:
    case = investigating()
    [done] = supervising.close(case, by=PROSECUTOR, now=T0 + 3 * HOUR, summary="执法程序合法")
    assert isinstance(done.data, CaseFeedback)
    assert done.data.outcome is Outcome.RESOLVED
    assert (case.status, case.finding, case.suggestion_id) == (S.CLOSED, Finding.NO_VIOLATION, None)


def test_further_investigation_notes_are_progress_without_a_new_status() -> None:
    case = investigating()
    notes = supervising.investigate(case, by=PROSECUTOR, now=T0 + 3 * HOUR, note="询问当事人")
    assert to_hub(notes) == [CaseProgressed]
    assert case.status is S.INVESTIGATING
    assert case.history[-1].note == "询问当事人"


def test_a_referral_is_returned_before_acceptance_only() -> None:
    case = received()
    [back] = supervising.return_to_hub(
        case, reason_code="procuratorate.duplicate", reason="已另案办理", by=PROSECUTOR, now=T0
    )
    assert isinstance(back.data, CaseReturned)
    assert (case.status, case.return_reason_code) == (S.RETURNED, "procuratorate.duplicate")

    accepted = received()
    supervising.accept(accepted, handler=PROSECUTOR, now=T0 + HOUR)
    with pytest.raises(IllegalTransition):
        supervising.return_to_hub(accepted, reason_code="x", reason="y", by=PROSECUTOR, now=T0)
    assert accepted.status is S.ACCEPTED


# ----- refusals change nothing -----------------------------------------------------------


def snapshot(case: SupervisionCase) -> dict[str, object]:
    return case.model_dump()


def test_out_of_order_steps_are_refused_and_change_nothing() -> None:
    case = received()
    before = snapshot(case)
    with pytest.raises(IllegalTransition):
        supervising.investigate(case, by=PROSECUTOR, now=T0 + HOUR, note="未受理先调查")
    with pytest.raises(IllegalTransition):
        supervising.close(case, by=PROSECUTOR, now=T0 + HOUR, summary="未受理先办结")
    with pytest.raises(IllegalTransition):
        supervising.issue_suggestion(case, "JY-1", draft(), by=PROSECUTOR, now=T0 + HOUR)
    assert snapshot(case) == before

    supervising.accept(case, handler=PROSECUTOR, now=T0 + HOUR)
    before = snapshot(case)
    with pytest.raises(IllegalTransition):
        supervising.accept(case, handler=PROSECUTOR, now=T0 + 2 * HOUR)
    assert snapshot(case) == before


def test_a_suggested_case_cannot_close_before_the_reply() -> None:
    case, _ = issued()
    before = snapshot(case)
    with pytest.raises(IllegalTransition):
        supervising.close(case, by=PROSECUTOR, now=T0 + 9 * HOUR, summary="提前结案")
    with pytest.raises(IllegalTransition):
        supervising.investigate(case, by=PROSECUTOR, now=T0 + 9 * HOUR, note="补充")
    assert snapshot(case) == before


def test_a_reply_not_yet_given_or_to_another_suggestion_is_not_recorded() -> None:
    case, suggestion = issued()
    before = snapshot(case)
    with pytest.raises(IllegalTransition):
        supervising.record_reply(case, suggestion, now=T0 + 5 * HOUR)
    _, other = issued()
    other.id = "JY-2"
    with pytest.raises(NotAddressee):
        supervising.record_reply(case, other, now=T0 + 5 * HOUR)
    assert snapshot(case) == before


def test_a_step_dated_before_the_last_is_refused() -> None:
    case = received()
    supervising.accept(case, handler=PROSECUTOR, now=T0 + 2 * HOUR)
    before = snapshot(case)
    with pytest.raises(TimeOutOfOrder):
        supervising.investigate(case, by=PROSECUTOR, now=T0 + HOUR, note="倒签")
    assert snapshot(case) == before


def test_a_case_survives_a_round_trip_through_its_stored_form() -> None:
    case, _ = replied()
    again = SupervisionCase.model_validate(case.model_dump(mode="json"))
    assert again == case
    assert again.history[-1].status is S.REPLIED
