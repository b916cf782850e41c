"""逾期催复: an overdue judicial suggestion is flagged once and the department urged once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from court.domain import suggestion_replies as replies
from court.domain.suggestion import JudicialSuggestion, SuggestionStatus, issue
from court.domain.suggestion_clock import flag_overdue
from fengqiao.contracts.codes import Card, Category, Clock
from fengqiao.contracts.events import CaseSupervised

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DAY = timedelta(days=1)
DEPT = "dept-agriculture"


def issued() -> JudicialSuggestion:
    suggestion, _ = issue(
        "SJ-1",
        department=DEPT,
        subject="规范土地承包合同",
        content="建议规范承包合同文本",
        category=Category.LAND_RURAL,
        by="庭长 陈",
        now=T0,
    )
    return suggestion


def test_nothing_happens_before_the_reply_is_due() -> None:
    suggestion = issued()
    assert flag_overdue(suggestion, now=T0 + 60 * DAY) == []
    assert suggestion.overdue_flagged_at is None and len(suggestion.history) == 1


def test_an_overdue_suggestion_is_flagged_and_the_department_urged_once() -> None:
    suggestion = issued()
    late = T0 + 61 * DAY
    [notice] = flag_overdue(suggestion, now=late)
    again = flag_overdue(suggestion, now=late + DAY)
    assert notice.recipient == DEPT
    assert isinstance(notice.data, CaseSupervised)
    assert (notice.data.card, notice.data.clock) == (Card.RED, Clock.FINISH)
    assert notice.data.assignment_id == "SJ-1-reply"
    assert "2026年05月01日" in notice.data.notice  # the due date on Beijing time
    assert again == []
    assert suggestion.overdue_flagged_at == late
    assert suggestion.status is SuggestionStatus.ISSUED
    assert [e.note for e in suggestion.history][-1] is not None
    assert len(suggestion.history) == 2


def test_a_withdrawn_suggestion_is_never_flagged() -> None:
    suggestion = issued()
    replies.withdraw(suggestion, reason="问题已整改", by="庭长 陈", now=T0 + DAY)
    assert flag_overdue(suggestion, now=T0 + 90 * DAY) == []
    assert suggestion.overdue_flagged_at is None
