"""检察建议: a prosecutorial suggestion to a department, owed a written reply within two
calendar months of issue (a parameter). The department answers it like any order:
签收 (accepted), 进展 (progressed), 反馈 (feedback = the reply).

issued → replied → closed; an issued suggestion may be withdrawn (撤回). ``suggesting`` holds
the steps, ``reminders`` the reminders before and at the reply deadline.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field, computed_field

from fengqiao.calendar import SHANGHAI
from fengqiao.contracts.codes import Category, CodeList, Outcome
from fengqiao.contracts.events import DocumentRef, Location
from procuratorate.domain.workflow import Workflow

REPLY_MONTHS = 2  # 收到检察建议之日起两个月内书面回复
ACCEPT_WITHIN = timedelta(days=5)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; a day the month lacks clamps to its end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def end_of_day(day: date) -> datetime:
    """The end of a local (Shanghai) day, in UTC: 00:00 of the next day, as fengqiao.calendar."""
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI).astimezone(UTC)


def reply_due_on(issued_at: datetime, *, months: int = REPLY_MONTHS) -> date:
    """回复期限: the local day ``months`` calendar months after the local day of issue."""
    return add_months(issued_at.astimezone(SHANGHAI).date(), months)


class SuggestionStatus(CodeList):
    ISSUED = ("issued", "已发出", "issued, awaiting the reply")
    REPLIED = ("replied", "已回复", "replied")
    CLOSED = ("closed", "已结案", "closed")
    WITHDRAWN = ("withdrawn", "已撤回", "withdrawn")


S = SuggestionStatus
ALLOWED: dict[SuggestionStatus, frozenset[SuggestionStatus]] = {
    S.ISSUED: frozenset({S.REPLIED, S.WITHDRAWN}),
    S.REPLIED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class Reminder(CodeList):
    """催告: reminders of the reply deadline, in the order they fall due."""

    FIFTEEN_DAYS = ("due_in_15_days", "到期前15日提醒", "15 days before the reply is due")
    THREE_DAYS = ("due_in_3_days", "到期前3日提醒", "3 days before the reply is due")
    OVERDUE = ("overdue", "逾期未回复督促", "the reply is overdue")


BEFORE_DUE: dict[Reminder, timedelta] = {
    Reminder.FIFTEEN_DAYS: timedelta(days=15),
    Reminder.THREE_DAYS: timedelta(days=3),
    Reminder.OVERDUE: timedelta(0),
}


class Reply(BaseModel):
    """书面回复: what the department did on the suggestion."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    content: str
    outcome: Outcome
    rectified: bool = Field(description="整改到位: the department reports it fully rectified")
    documents: list[DocumentRef] = Field(default_factory=list)
    late: bool = Field(description="received after the reply deadline")


class Suggestion(Workflow[SuggestionStatus]):
    """检察建议: one suggestion to one department, tracked to its reply."""

    case_id: str | None = Field(default=None, description="the supervision case, if any")
    assignment_id: str = Field(description="the id the department's answers must carry")
    department: str = Field(description="the department's agency id, e.g. dept-environment")
    subject: str
    content: str
    legal_basis: str
    category: Category
    location: Location
    status: SuggestionStatus = S.ISSUED
    issued_at: datetime
    issued_by: str
    reply_due_on: date = Field(description="the last local day for the written reply")
    reply_due_at: datetime = Field(description="the end of reply_due_on, in UTC")
    accept_by: datetime
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    reply: Reply | None = None
    reminders_sent: list[Reminder] = Field(default_factory=list)
    flagged_overdue: bool = Field(default=False, description="逾期: set when the red card went")
    closed_at: datetime | None = None
    withdrawn_reason: str | None = None

    def table(self) -> Mapping[SuggestionStatus, frozenset[SuggestionStatus]]:
        return ALLOWED

    def is_overdue(self, now: datetime) -> bool:
        """逾期未回复: still awaiting the reply when its deadline has passed."""
        return self.status is S.ISSUED and now >= self.reply_due_at

    def reminder_at(self, reminder: Reminder) -> datetime:
        return self.reply_due_at - BEFORE_DUE[reminder]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def next_reminder_at(self) -> datetime | None:
        """下次催告: when the next reminder falls due; None once none is owed. Stored with the
        suggestion so the reminder pass finds the due ones by one indexed query."""
        if self.status is not S.ISSUED:
            return None
        pending = [self.reminder_at(r) for r in Reminder if r not in self.reminders_sent]
        return min(pending, default=None)
