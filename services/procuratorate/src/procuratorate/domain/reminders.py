"""催告与逾期: reminders of a suggestion's reply deadline — a yellow card 15 days and 3 days
before it, a red card when it has passed — each sent once, in order, and the overdue flag.

A pass that runs twice (two replicas, a restart) sends nothing the second time; a pass that
runs late sends every reminder it missed, oldest first, each saying how much time is truly left.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fengqiao.contracts.codes import Card, Clock, Level
from fengqiao.contracts.events import CaseSupervised
from fengqiao.contracts.orders import Notice
from procuratorate.domain.suggestion import Reminder, Suggestion, SuggestionStatus

REMINDER_DESK = "检察建议跟踪"
DAY = timedelta(days=1)


def reminders_due(suggestion: Suggestion, now: datetime) -> list[Reminder]:
    """The reminders not yet sent whose time has come, in order; none once it is answered."""
    if suggestion.status is not SuggestionStatus.ISSUED:
        return []
    return [
        r
        for r in Reminder
        if r not in suggestion.reminders_sent and now >= suggestion.reminder_at(r)
    ]


def remind(suggestion: Suggestion, *, now: datetime, level: Level = Level.COUNTY) -> list[Notice]:
    """催告: send the reminders that are due to the department, and mark them sent."""
    due = reminders_due(suggestion, now)
    if not due:
        return []
    suggestion.check_time(now)
    notices = [_notice(suggestion, r, now=now, level=level) for r in due]
    for reminder in due:
        suggestion.log(at=now, actor=REMINDER_DESK, note=reminder.zh)
        suggestion.reminders_sent.append(reminder)
    suggestion.flagged_overdue = suggestion.flagged_overdue or Reminder.OVERDUE in due
    return notices


def _notice(suggestion: Suggestion, reminder: Reminder, *, now: datetime, level: Level) -> Notice:
    overdue = reminder is Reminder.OVERDUE
    due = f"检察建议《{suggestion.subject}》应于{suggestion.reply_due_on:%Y年%m月%d日}前书面回复"
    if overdue:
        text = f"{due}, 现已逾期, 请立即回复"
    else:
        days_left = -((now - suggestion.reply_due_at) // DAY)  # whole days, rounded up
        text = f"{due}, 尚余{days_left}日"
    return Notice(
        suggestion.department,
        CaseSupervised(
            case_id=suggestion.id,
            assignment_id=suggestion.assignment_id,
            clock=Clock.FINISH,
            card=Card.RED if overdue else Card.YELLOW,
            due_at=suggestion.reply_due_at,
            level=level,
            notice=text[:2000],
        ),
    )
