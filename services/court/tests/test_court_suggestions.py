"""司法建议: issued to a department as an order to reply, tracked to its reply; answers from the
wrong sender or for the wrong assignment, and replies to a closed suggestion, are refused."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from court.domain import suggestion_replies as replies
from court.domain.errors import IllegalTransition, InvalidRequest, UnknownAssignment
from court.domain.suggestion import (
    ALLOWED,
    JudicialSuggestion,
    SuggestionStatus,
    issue,
)
from fengqiao.contracts.codes import Action, Category, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
    DocumentRef,
    Location,
)

G = SuggestionStatus
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
DEPT = "dept-agriculture"
CONTENT = "近一年涉农土地承包纠纷案件增多, 建议规范承包合同文本并开展确权登记复核"
REPLY = DocumentRef(title="关于司法建议的回复函", uri="https://agri.example/replies/7")


def issued(reply_within: timedelta = 60 * DAY) -> JudicialSuggestion:
    suggestion, _ = issue(
        "SJ-2026-3",
        department=DEPT,
        subject="规范土地承包合同",
        content=CONTENT,
        category=Category.LAND_RURAL,
        by="庭长 陈",
        now=T0,
        location=Location(town="440781105"),
        related_case="(2026)粤0781民初123号",
        reply_within=reply_within,
    )
    return suggestion


def accepted_by(assignment_id: str = "SJ-2026-3-reply") -> CaseAccepted:
    return CaseAccepted(
        case_id="SJ-2026-3",
        assignment_id=assignment_id,
        accepted_at=T0 + DAY,
        handler="农业农村局 法规股",
    )


def reply(assignment_id: str = "SJ-2026-3-reply", case_id: str = "SJ-2026-3") -> CaseFeedback:
    return CaseFeedback(
        case_id=case_id,
        assignment_id=assignment_id,
        at=T0 + 40 * DAY,
        outcome=Outcome.RESOLVED,
        summary="已印发承包合同示范文本, 复核确权登记120户",
        documents=[REPLY],
    )


def status(suggestion: JudicialSuggestion) -> SuggestionStatus:
    return suggestion.status


# ----- the table ------------------------------------------------------------------------------


def test_table_covers_every_status_and_ends_in_replied_returned_or_withdrawn() -> None:
    assert set(ALLOWED) == set(SuggestionStatus)
    assert {s for s, nxt in ALLOWED.items() if not nxt} == {G.REPLIED, G.RETURNED, G.WITHDRAWN}


@pytest.mark.parametrize(
    ("start", "to"), list(itertools.product(SuggestionStatus, SuggestionStatus)), ids=str
)
def test_move(start: SuggestionStatus, to: SuggestionStatus) -> None:
    suggestion = issued()
    suggestion.status = start
    if to in ALLOWED[start]:
        suggestion.move(to, at=T0 + HOUR, actor=DEPT)
        assert suggestion.status is to
    else:
        with pytest.raises(IllegalTransition):
            suggestion.move(to, at=T0 + HOUR, actor=DEPT)
        assert suggestion.status is start


# ----- issue ----------------------------------------------------------------------------------


def test_issuing_sends_the_department_an_order_to_reply() -> None:
    suggestion, notices = issue(
        "SJ-2026-3",
        department=DEPT,
        subject="规范土地承包合同",
        content=CONTENT,
        category=Category.LAND_RURAL,
        by="庭长 陈",
        now=T0,
    )
    assert [n.recipient for n in notices] == [DEPT]
    order = notices[0].data
    assert isinstance(order, CaseTransferred)
    assert (order.case_id, order.assignment_id) == ("SJ-2026-3", "SJ-2026-3-reply")
    assert (order.action, order.lead, order.severity) == (Action.REPLY, True, Severity.GENERAL)
    assert (order.category, order.title, order.summary) == (
        Category.LAND_RURAL,
        "司法建议: 规范土地承包合同",
        CONTENT,
    )
    assert (order.accept_by, order.due_at) == (T0 + 5 * DAY, T0 + 60 * DAY)
    assert (status(suggestion), suggestion.reply_due) == (G.ISSUED, T0 + 60 * DAY)


def test_the_reply_due_time_is_a_parameter() -> None:
    assert issued(reply_within=30 * DAY).reply_due == T0 + 30 * DAY


@pytest.mark.parametrize(
    "changes",
    [{"subject": " "}, {"content": ""}, {"department": ""}, {"reply_within": 5 * DAY}],
    ids=str,
)
def test_a_suggestion_without_subject_content_or_time_to_reply_is_refused(
    changes: dict[str, object],
) -> None:
    args: dict[str, object] = {
        "department": DEPT,
        "subject": "规范土地承包合同",
        "content": CONTENT,
        "category": Category.LAND_RURAL,
        "by": "庭长 陈",
        "now": T0,
    }
    with pytest.raises(InvalidRequest):
        issue("SJ-1", **{**args, **changes})  # type: ignore[arg-type]


# ----- the department's answers ---------------------------------------------------------------


def test_acceptance_progress_and_reply_are_kept() -> None:
    suggestion = issued()
    replies.on_accepted(suggestion, accepted_by(), sender=DEPT, now=T0 + DAY)
    assert (status(suggestion), suggestion.handler) == (G.ACCEPTED, "农业农村局 法规股")
    progress = CaseProgressed(
        case_id="SJ-2026-3",
        assignment_id="SJ-2026-3-reply",
        at=T0 + 20 * DAY,
        note="已起草示范文本",
    )
    replies.on_progressed(suggestion, progress, sender=DEPT, now=T0 + 20 * DAY)
    assert (status(suggestion), suggestion.history[-1].note) == (G.ACCEPTED, "已起草示范文本")

    replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 40 * DAY + HOUR)
    assert status(suggestion) is G.REPLIED
    assert suggestion.reply is not None
    assert (suggestion.reply.outcome, suggestion.reply.summary) == (
        Outcome.RESOLVED,
        "已印发承包合同示范文本, 复核确权登记120户",
    )
    assert suggestion.reply.documents == [REPLY]
    assert (suggestion.reply.at, suggestion.reply.received_at) == (
        T0 + 40 * DAY,
        T0 + 40 * DAY + HOUR,
    )


def test_a_reply_may_come_without_a_prior_acceptance() -> None:
    suggestion = issued()
    replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 40 * DAY)
    assert status(suggestion) is G.REPLIED


def test_a_second_reply_is_refused_and_the_first_is_kept() -> None:
    suggestion = issued()
    replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 40 * DAY)
    before = suggestion.model_dump()
    with pytest.raises(IllegalTransition):
        replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 41 * DAY)
    assert suggestion.model_dump() == before


def test_a_reply_to_a_withdrawn_suggestion_is_refused() -> None:
    suggestion = issued()
    replies.withdraw(suggestion, reason="问题已整改", by="庭长 陈", now=T0 + 10 * DAY)
    before = suggestion.model_dump()
    with pytest.raises(IllegalTransition):
        replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 40 * DAY)
    assert suggestion.model_dump() == before


@pytest.mark.parametrize(
    ("event", "sender"),
    [
        (reply(assignment_id="SJ-2026-3-other"), DEPT),
        (reply(case_id="SJ-2026-4"), DEPT),
        (reply(), "dept-labour"),
    ],
    ids=["other assignment", "other suggestion", "other department"],
)
def test_a_reply_for_another_assignment_or_from_another_sender_is_refused(
    event: CaseFeedback, sender: str
) -> None:
    suggestion = issued()
    before = suggestion.model_dump()
    with pytest.raises(UnknownAssignment):
        replies.on_reply(suggestion, event, sender=sender, now=T0 + 40 * DAY)
    assert suggestion.model_dump() == before


def test_an_acceptance_from_another_department_or_for_another_assignment_is_refused() -> None:
    suggestion = issued()
    with pytest.raises(UnknownAssignment):
        replies.on_accepted(suggestion, accepted_by(), sender="dept-labour", now=T0 + DAY)
    with pytest.raises(UnknownAssignment):
        replies.on_accepted(
            suggestion, accepted_by(assignment_id="SJ-2026-3-x"), sender=DEPT, now=T0 + DAY
        )
    assert (status(suggestion), len(suggestion.history)) == (G.ISSUED, 1)


def test_accepting_twice_is_refused() -> None:
    suggestion = issued()
    replies.on_accepted(suggestion, accepted_by(), sender=DEPT, now=T0 + DAY)
    with pytest.raises(IllegalTransition):
        replies.on_accepted(suggestion, accepted_by(), sender=DEPT, now=T0 + 2 * DAY)


def test_progress_after_the_reply_is_refused() -> None:
    suggestion = issued()
    replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 40 * DAY)
    late = CaseProgressed(
        case_id="SJ-2026-3", assignment_id="SJ-2026-3-reply", at=T0 + 41 * DAY, note="补充"
    )
    with pytest.raises(IllegalTransition):
        replies.on_progressed(suggestion, late, sender=DEPT, now=T0 + 41 * DAY)


def test_a_department_may_return_it_unaccepted() -> None:
    suggestion = issued()
    back = CaseReturned(
        case_id="SJ-2026-3",
        assignment_id="SJ-2026-3-reply",
        returned_at=T0 + DAY,
        reason_code="dept.not_our_remit",
        reason="属自然资源部门职责",
    )
    replies.on_returned(suggestion, back, sender=DEPT, now=T0 + DAY)
    assert status(suggestion) is G.RETURNED
    assert not suggestion.overdue(T0 + 90 * DAY)


# ----- withdrawal and clocks ------------------------------------------------------------------


def test_withdrawal_tells_the_department_to_close_its_part() -> None:
    suggestion = issued()
    replies.on_accepted(suggestion, accepted_by(), sender=DEPT, now=T0 + DAY)
    notices = replies.withdraw(suggestion, reason="问题已整改", by="庭长 陈", now=T0 + 10 * DAY)
    assert [n.recipient for n in notices] == [DEPT]
    closed = notices[0].data
    assert isinstance(closed, CaseClosed)
    assert (closed.case_id, closed.summary) == ("SJ-2026-3", "司法建议已撤回: 问题已整改")
    assert (status(suggestion), suggestion.withdraw_reason) == (G.WITHDRAWN, "问题已整改")


def test_a_replied_suggestion_cannot_be_withdrawn() -> None:
    suggestion = issued()
    replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 40 * DAY)
    with pytest.raises(IllegalTransition):
        replies.withdraw(suggestion, reason="撤回", by="庭长 陈", now=T0 + 41 * DAY)
    with pytest.raises(InvalidRequest):
        replies.withdraw(issued(), reason="", by="庭长 陈", now=T0 + DAY)


def test_it_is_overdue_when_not_replied_after_the_due_time() -> None:
    suggestion = issued()
    assert not suggestion.overdue(T0 + 60 * DAY)
    assert suggestion.overdue(T0 + 60 * DAY + timedelta(seconds=1))
    replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 61 * DAY)
    assert not suggestion.overdue(T0 + 90 * DAY)  # replied late, but replied


def test_acceptance_is_due_five_days_after_issue() -> None:
    suggestion = issued()
    assert not suggestion.acceptance_overdue(T0 + 5 * DAY)
    assert suggestion.acceptance_overdue(T0 + 5 * DAY + HOUR)
    replies.on_accepted(suggestion, accepted_by(), sender=DEPT, now=T0 + 6 * DAY)
    assert not suggestion.acceptance_overdue(T0 + 7 * DAY)


def test_it_reads_back_from_storage_as_it_was_written() -> None:
    suggestion = issued()
    replies.on_reply(suggestion, reply(), sender=DEPT, now=T0 + 40 * DAY)
    again = JudicialSuggestion.model_validate(suggestion.model_dump(mode="json"))
    assert again == suggestion
    assert again.related_case == "(2026)粤0781民初123号"
