"""Prosecutorial suggestions (检察建议): the two-month reply deadline, the order the department
gets, its answers, closure and withdrawal, and every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fengqiao.contracts.codes import Action, Category, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseTransferred,
    DocumentRef,
    Location,
)
from procuratorate.domain import suggesting
from procuratorate.domain.errors import IllegalTransition, InvalidRequest, NotAddressee
from procuratorate.domain.suggestion import (
    ALLOWED,
    REPLY_MONTHS,
    Suggestion,
    SuggestionStatus,
    add_months,
    reply_due_on,
)

S = SuggestionStatus
DEPT = "dept-environment"
PROSECUTOR = "检察官 李明"
PLACE = Location(county="440781", town="440781105")
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 2026-11-22 10:00 in Shanghai
DAY = timedelta(days=1)


def draft(**changes: str) -> suggesting.SuggestionDraft:
    fields = {
        "department": DEPT,
        "subject": "依法查处养殖废水直排",
        "content": "建议依法查处并督促整改",
        "legal_basis": "《人民检察院检察建议工作规定》第十一条",
    } | changes
    return suggesting.SuggestionDraft.model_validate(fields)


def issue(now: datetime = T0, reply_months: int = REPLY_MONTHS) -> Suggestion:
    suggestion, _ = suggesting.issue(
        "JY-1", draft(), category=Category.ENVIRONMENT, location=PLACE, by=PROSECUTOR, now=now,
        reply_months=reply_months,
    )  # fmt: skip
    return suggestion


def feedback(
    outcome: Outcome = Outcome.RESOLVED, assignment_id: str = "JY-1-reply"
) -> CaseFeedback:
    return CaseFeedback(
        case_id="JY-1", assignment_id=assignment_id, at=T0 + DAY, outcome=outcome,
        summary="已责令整改", documents=[DocumentRef(title="整改报告", uri="https://x/1.pdf")],
    )  # fmt: skip


# ----- the deadline ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "due"),
    [
        (date(2026, 11, 22), date(2027, 1, 22)),
        (date(2026, 12, 31), date(2027, 2, 28)),  # February is short: clamp to its end
        (date(2027, 12, 31), date(2028, 2, 29)),  # a leap year
        (date(2026, 12, 30), date(2027, 2, 28)),
        (date(2026, 8, 31), date(2026, 10, 31)),
        (date(2026, 7, 31), date(2026, 9, 30)),
        (date(2026, 10, 15), date(2026, 12, 15)),
    ],
)
def test_two_calendar_months(issued: date, due: date) -> None:
    assert add_months(issued, 2) == due


def test_the_deadline_counts_from_the_local_day_of_issue() -> None:
    late_evening_utc = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # already Dec 1 in Shanghai
    assert reply_due_on(late_evening_utc) == date(2027, 2, 1)
    assert reply_due_on(T0, months=3) == date(2027, 2, 22)


def test_the_reply_is_due_by_the_end_of_the_local_day() -> None:
    suggestion = issue()
    assert suggestion.reply_due_on == date(2027, 1, 22)
    assert suggestion.reply_due_at == datetime(2027, 1, 22, 16, 0, tzinfo=UTC)  # 24:00 Shanghai


def test_the_reply_period_is_a_parameter_of_at_least_a_month() -> None:
    assert issue(reply_months=1).reply_due_on == date(2026, 12, 22)
    with pytest.raises(InvalidRequest):
        issue(reply_months=0)


# ----- the order to the department -------------------------------------------------------


def test_issue_sends_the_department_an_order_to_reply() -> None:
    suggestion, [notice] = suggesting.issue(
        "JY-1", draft(), category=Category.ENVIRONMENT, location=PLACE, by=PROSECUTOR, now=T0
    )
    assert notice.recipient == DEPT
    order = notice.data
    assert isinstance(order, CaseTransferred)
    assert (order.case_id, order.assignment_id) == ("JY-1", "JY-1-reply")
    assert (order.action, order.lead, order.severity) == (Action.REPLY, True, Severity.GENERAL)
    assert order.title == "检察建议: 依法查处养殖废水直排"
    assert order.summary == "建议依法查处并督促整改"
    assert (order.category, order.location) == (Category.ENVIRONMENT, PLACE)
    assert order.accept_by == T0 + 5 * DAY
    assert order.due_at == suggestion.reply_due_at
    assert suggestion.status is S.ISSUED


@pytest.mark.parametrize("blank", ["department", "subject", "content", "legal_basis"])
def test_a_blank_draft_is_refused(blank: str) -> None:
    with pytest.raises(InvalidRequest):
        suggesting.issue(
            "JY-1", draft(**{blank: "  "}), category=Category.ENVIRONMENT, location=PLACE,
            by=PROSECUTOR, now=T0,
        )  # fmt: skip


# ----- the department's answers ----------------------------------------------------------


def test_accepted_and_progress_are_logged() -> None:
    suggestion = issue()
    accepted = CaseAccepted(
        case_id="JY-1", assignment_id="JY-1-reply", accepted_at=T0 + DAY, handler="执法大队 王"
    )
    assert suggesting.on_accepted(suggestion, accepted, sender=DEPT, now=T0 + DAY) == []
    assert (suggestion.accepted_at, suggestion.accepted_by) == (T0 + DAY, "执法大队 王")
    with pytest.raises(IllegalTransition):
        suggesting.on_accepted(suggestion, accepted, sender=DEPT, now=T0 + 2 * DAY)
    progress = CaseProgressed(case_id="JY-1", assignment_id="JY-1-reply", at=T0, note="已立案")
    suggesting.on_progressed(suggestion, progress, sender=DEPT, now=T0 + 2 * DAY)
    assert suggestion.history[-1].note == "部门进展: 已立案"
    assert suggestion.status is S.ISSUED


@pytest.mark.parametrize(
    ("outcome", "rectified"),
    [(Outcome.RESOLVED, True), (Outcome.PARTLY_RESOLVED, False), (Outcome.UNRESOLVED, False)],
)
def test_the_feedback_is_the_reply(outcome: Outcome, rectified: bool) -> None:
    suggestion = issue()
    suggesting.on_feedback(suggestion, feedback(outcome), sender=DEPT, now=T0 + DAY)
    reply = suggestion.reply
    assert suggestion.status is S.REPLIED
    assert reply is not None
    assert (reply.content, reply.outcome, reply.rectified) == ("已责令整改", outcome, rectified)
    assert [d.title for d in reply.documents] == ["整改报告"]
    assert reply.late is False


def test_a_reply_after_the_deadline_is_marked_late() -> None:
    suggestion = issue()
    suggesting.on_feedback(suggestion, feedback(), sender=DEPT, now=suggestion.reply_due_at + DAY)
    assert suggestion.reply is not None and suggestion.reply.late


@pytest.mark.parametrize("status", [S.REPLIED, S.CLOSED, S.WITHDRAWN])
def test_a_reply_to_a_suggestion_no_longer_awaiting_one_is_refused(status: S) -> None:
    suggestion = issue()
    suggestion.status = status
    before = suggestion.model_dump()
    with pytest.raises(IllegalTransition):
        suggesting.on_feedback(suggestion, feedback(), sender=DEPT, now=T0 + DAY)
    progress = CaseProgressed(case_id="JY-1", assignment_id="JY-1-reply", at=T0, note="x")
    with pytest.raises(IllegalTransition):
        suggesting.on_progressed(suggestion, progress, sender=DEPT, now=T0 + DAY)
    assert suggestion.model_dump() == before


def test_a_reply_for_another_assignment_or_from_another_agency_is_refused() -> None:
    suggestion = issue()
    before = suggestion.model_dump()
    with pytest.raises(NotAddressee):
        suggesting.on_feedback(suggestion, feedback(assignment_id="JY-9-reply"), sender=DEPT,
                               now=T0 + DAY)  # fmt: skip
    with pytest.raises(NotAddressee):
        suggesting.on_feedback(suggestion, feedback(), sender="dept-market", now=T0 + DAY)
    assert issubclass(NotAddressee, IllegalTransition)
    assert suggestion.model_dump() == before


def test_close_only_after_the_reply() -> None:
    suggestion = issue()
    with pytest.raises(IllegalTransition):
        suggesting.close(suggestion, by=PROSECUTOR, now=T0 + DAY)
    suggesting.on_feedback(suggestion, feedback(), sender=DEPT, now=T0 + DAY)
    suggesting.close(suggestion, by=PROSECUTOR, now=T0 + 2 * DAY, note="整改到位")
    assert (suggestion.status, suggestion.closed_at) == (S.CLOSED, T0 + 2 * DAY)


def test_withdraw_an_issued_suggestion_with_a_reason() -> None:
    suggestion = issue()
    with pytest.raises(InvalidRequest):
        suggesting.withdraw(suggestion, reason=" ", by=PROSECUTOR, now=T0 + DAY)
    assert suggestion.status is S.ISSUED
    suggesting.withdraw(suggestion, reason="部门已自行纠正", by=PROSECUTOR, now=T0 + DAY)
    assert (suggestion.status, suggestion.withdrawn_reason) == (S.WITHDRAWN, "部门已自行纠正")
    with pytest.raises(IllegalTransition):
        suggesting.withdraw(suggestion, reason="再次撤回", by=PROSECUTOR, now=T0 + 2 * DAY)


def test_a_replied_suggestion_cannot_be_withdrawn() -> None:
    suggestion = issue()
    suggesting.on_feedback(suggestion, feedback(), sender=DEPT, now=T0 + DAY)
    with pytest.raises(IllegalTransition):
        suggesting.withdraw(suggestion, reason="撤回", by=PROSECUTOR, now=T0 + 2 * DAY)
    assert suggestion.status is S.REPLIED


def test_table_ends_in_closed_or_withdrawn() -> None:
    assert set(ALLOWED) == set(S)
    assert ALLOWED[S.CLOSED] == frozenset() == ALLOWED[S.WITHDRAWN]


def test_the_draft_is_kept_without_stray_whitespace() -> None:
    suggestion, [notice] = suggesting.issue(
        "JY-1", draft(department=f" {DEPT} ", subject=" 依法查处 "), category=Category.ENVIRONMENT,
        location=PLACE, by=PROSECUTOR, now=T0,
    )  # fmt: skip
    assert (notice.recipient, suggestion.department, suggestion.subject) == (DEPT, DEPT, "依法查处")
