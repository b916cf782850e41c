"""Reminders of a suggestion's reply deadline (催告): 15 and 3 days before it, and when it has
passed; each sent once, in order; the overdue flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fengqiao.contracts.codes import Card, Category, Clock, Level, Outcome
from fengqiao.contracts.events import CaseFeedback, CaseSupervised, Location
from fengqiao.contracts.orders import Notice
from procuratorate.domain import suggesting
from procuratorate.domain.reminders import remind, reminders_due
from procuratorate.domain.suggestion import Reminder, Suggestion

DEPT = "dept-environment"
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SEC = timedelta(seconds=1)


def issue() -> Suggestion:
    draft = suggesting.SuggestionDraft(
        department=DEPT, subject="依法查处废水直排", content="建议查处", legal_basis="法条"
    )
    suggestion, _ = suggesting.issue(
        "JY-1", draft, category=Category.ENVIRONMENT, location=Location(town="440781105"),
        by="检察官", now=T0,
    )  # fmt: skip
    return suggestion


def supervised(notices: list[Notice]) -> list[CaseSupervised]:
    return [n.data for n in notices if isinstance(n.data, CaseSupervised)]


def test_each_reminder_comes_once_and_in_order() -> None:
    s = issue()
    due = s.reply_due_at  # 2027-01-22 24:00 Shanghai
    assert remind(s, now=due - 15 * DAY - SEC) == []

    [first] = remind(s, now=due - 15 * DAY)
    assert first.recipient == DEPT
    card = first.data
    assert isinstance(card, CaseSupervised)
    assert (card.case_id, card.assignment_id) == ("JY-1", "JY-1-reply")
    assert (card.clock, card.card, card.level, card.due_at) == (
        Clock.FINISH, Card.YELLOW, Level.COUNTY, due,
    )  # fmt: skip
    assert "2027年01月22日" in card.notice and "尚余15日" in card.notice
    assert remind(s, now=due - 10 * DAY) == []  # sent already: never twice

    [second] = remind(s, now=due - 3 * DAY)
    assert isinstance(second.data, CaseSupervised)
    assert (second.data.card, "尚余3日" in second.data.notice) == (Card.YELLOW, True)
    assert remind(s, now=due - SEC) == []
    assert not s.is_overdue(due - SEC) and not s.flagged_overdue

    [red] = remind(s, now=due)
    assert isinstance(red.data, CaseSupervised)
    assert red.data.card is Card.RED and "已逾期" in red.data.notice
    assert remind(s, now=due + 30 * DAY) == []
    assert s.reminders_sent == [Reminder.FIFTEEN_DAYS, Reminder.THREE_DAYS, Reminder.OVERDUE]
    assert s.is_overdue(due) and s.flagged_overdue
    assert [e.note for e in s.history[-3:]] == [r.zh for r in Reminder]


def test_a_late_pass_sends_every_missed_reminder_oldest_first_telling_the_true_time() -> None:
    s = issue()
    assert reminders_due(s, s.reply_due_at - DAY) == [Reminder.FIFTEEN_DAYS, Reminder.THREE_DAYS]
    cards = supervised(remind(s, now=s.reply_due_at - DAY))
    assert [c.card for c in cards] == [Card.YELLOW, Card.YELLOW]
    assert all("尚余1日" in c.notice for c in cards)
    assert reminders_due(s, s.reply_due_at - DAY) == []


def test_reminders_due_does_not_mark_anything_sent() -> None:
    s = issue()
    now = s.reply_due_at + DAY
    assert reminders_due(s, now) == list(Reminder)
    assert reminders_due(s, now) == list(Reminder)
    assert s.reminders_sent == [] and not s.flagged_overdue


def test_a_replied_suggestion_is_neither_reminded_nor_overdue() -> None:
    s = issue()
    answer = CaseFeedback(
        case_id="JY-1",
        assignment_id="JY-1-reply",
        at=T0,
        outcome=Outcome.RESOLVED,
        summary="已整改",
    )
    suggesting.on_feedback(s, answer, sender=DEPT, now=T0 + DAY)
    later = s.reply_due_at + DAY
    assert reminders_due(s, later) == [] and remind(s, now=later) == []
    assert not s.is_overdue(later)


def test_a_withdrawn_suggestion_is_not_reminded() -> None:
    s = issue()
    suggesting.withdraw(s, reason="部门已自行纠正", by="检察官", now=T0 + DAY)
    assert remind(s, now=s.reply_due_at) == []


def test_the_supervising_level_is_a_parameter() -> None:
    s = issue()
    [card] = remind(s, now=s.reply_due_at - 15 * DAY, level=Level.CITY)
    assert isinstance(card.data, CaseSupervised) and card.data.level is Level.CITY
