"""司法建议: the court advises a department on a problem its cases revealed, and tracks the
department's reply.

It travels as ``case.transferred.v1`` with action ``reply`` from the court to the department:
``case_id`` is the suggestion's id and ``assignment_id`` is ``<id>-reply``, so the
department's answers (accepted / progressed / feedback = the reply) come back to the court and
find it. issued → accepted → replied; issued → returned by the department; issued or accepted
→ withdrawn by the court. The reply is due 60 days after issue by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from court.domain.case_numbers import DUHU, Court
from court.domain.errors import InvalidRequest
from court.domain.record import Tracked, text
from fengqiao.contracts.codes import Action, Category, CodeList, Outcome, Severity
from fengqiao.contracts.events import CaseTransferred, DocumentRef, Location
from fengqiao.contracts.orders import Notice
from fengqiao.workflow import Entry

REPLY_WITHIN = timedelta(days=60)  # 司法建议: a written reply within two months
ACCEPT_WITHIN = timedelta(days=5)


class SuggestionStatus(CodeList):
    ISSUED = ("issued", "已发出", "issued")
    ACCEPTED = ("accepted", "已签收", "accepted by the department")
    REPLIED = ("replied", "已回复", "replied")
    RETURNED = ("returned", "被退回", "returned by the department")
    WITHDRAWN = ("withdrawn", "已撤回", "withdrawn by the court")


G = SuggestionStatus
ALLOWED: dict[SuggestionStatus, frozenset[SuggestionStatus]] = {
    G.ISSUED: frozenset({G.ACCEPTED, G.REPLIED, G.RETURNED, G.WITHDRAWN}),
    G.ACCEPTED: frozenset({G.REPLIED, G.WITHDRAWN}),
    G.REPLIED: frozenset(),
    G.RETURNED: frozenset(),
    G.WITHDRAWN: frozenset(),
}
OPEN = frozenset({G.ISSUED, G.ACCEPTED})  # awaiting the reply


class Reply(BaseModel):
    """The department's reply (回复函), as its feedback carried it."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    received_at: datetime
    outcome: Outcome
    summary: str
    documents: list[DocumentRef] = Field(default_factory=list)


class JudicialSuggestion(Tracked[SuggestionStatus]):
    department: str = Field(description="the department's agency id")
    subject: str
    content: str
    category: Category
    location: Location
    related_case: str | None = Field(default=None, description="the case number it arose from")
    court: Court = DUHU
    status: SuggestionStatus = G.ISSUED
    history: list[Entry[SuggestionStatus]] = Field(default_factory=list)
    accept_by: datetime
    reply_due: datetime
    accepted_at: datetime | None = None
    handler: str | None = Field(default=None, description="who in the department took it")
    reply: Reply | None = None
    returned_reason: str | None = None
    withdrawn_at: datetime | None = None
    withdraw_reason: str | None = None
    overdue_flagged_at: datetime | None = Field(default=None, description="逾期 flagged, 催复 sent")

    def table(self) -> Mapping[SuggestionStatus, frozenset[SuggestionStatus]]:
        return ALLOWED

    @property
    def assignment_id(self) -> str:
        return f"{self.id}-reply"

    def overdue(self, now: datetime) -> bool:
        """逾期未回复: not replied (nor withdrawn or returned) after the reply is due."""
        return self.status in OPEN and now > self.reply_due

    def acceptance_overdue(self, now: datetime) -> bool:
        return self.status is G.ISSUED and now > self.accept_by


def issue(
    suggestion_id: str,
    *,
    department: str,
    subject: str,
    content: str,
    category: Category,
    by: str,
    now: datetime,
    location: Location | None = None,
    related_case: str | None = None,
    reply_within: timedelta = REPLY_WITHIN,
    court: Court = DUHU,
) -> tuple[JudicialSuggestion, list[Notice]]:
    """发出司法建议: the suggestion, and the order that carries it to the department."""
    subject, content = text(subject, "the subject"), text(content, "the content")
    department = text(department, "the department")
    if len(content) > 10_000:
        raise InvalidRequest("the content is longer than 10,000 characters: attach it instead")
    if reply_within <= ACCEPT_WITHIN:
        raise InvalidRequest(f"the reply must be due later than {ACCEPT_WITHIN.days} days")
    suggestion = JudicialSuggestion(
        id=suggestion_id,
        department=department,
        subject=subject,
        content=content,
        category=category,
        location=location or Location(),
        related_case=related_case,
        court=court,
        received_at=now,
        accept_by=now + ACCEPT_WITHIN,
        reply_due=now + reply_within,
        history=[Entry(at=now, status=G.ISSUED, actor=by, note=subject)],
    )
    order = CaseTransferred(
        case_id=suggestion.id,
        assignment_id=suggestion.assignment_id,
        category=category,
        severity=Severity.GENERAL,
        action=Action.REPLY,
        lead=True,
        title=f"司法建议: {subject}"[:200],
        summary=content,
        location=suggestion.location,
        accept_by=suggestion.accept_by,
        due_at=suggestion.reply_due,
    )
    return suggestion, [Notice(department, order)]
