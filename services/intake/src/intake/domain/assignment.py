"""An assignment (交办单): one force's part of a case, with its own state and clocks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from fengqiao.contracts.codes import Action, Card, Clock, CodeList, Outcome
from fengqiao.contracts.events import DocumentRef
from intake.domain.errors import IllegalTransition


class AssignmentStatus(CodeList):
    SENT = ("sent", "已交办", "sent")
    ACCEPTED = ("accepted", "已签收", "accepted")
    RETURNED = ("returned", "已退回", "returned")
    IN_PROGRESS = ("in_progress", "办理中", "in progress")
    FEEDBACK = ("feedback", "已反馈", "feedback given")


S = AssignmentStatus
ALLOWED: dict[AssignmentStatus, frozenset[AssignmentStatus]] = {
    S.SENT: frozenset({S.ACCEPTED, S.RETURNED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.FEEDBACK}),
    S.IN_PROGRESS: frozenset({S.IN_PROGRESS, S.FEEDBACK}),
    S.RETURNED: frozenset(),
    S.FEEDBACK: frozenset(),
}


class Progress(BaseModel):
    at: datetime
    note: str


class Feedback(BaseModel):
    at: datetime
    outcome: Outcome
    summary: str
    documents: list[DocumentRef] = Field(default_factory=list)


class Assignment(BaseModel):
    id: str
    agency: str
    action: Action
    lead: bool
    unit: str | None = None
    status: AssignmentStatus = S.SENT
    sent_at: datetime
    accept_by: datetime
    due_at: datetime
    delivered_at: datetime | None = Field(default=None, description="the exchange's receipt")
    accepted_at: datetime | None = None
    handler: str | None = None
    returned_at: datetime | None = None
    return_reason_code: str | None = None
    return_reason: str | None = None
    progress: list[Progress] = Field(default_factory=list)
    feedback: Feedback | None = None
    cards: dict[Clock, Card] = Field(default_factory=dict)
    superseded: bool = Field(
        default=False, description="done, but the case was reopened: a new round needs new work"
    )

    @property
    def live(self) -> bool:
        """Neither returned nor superseded: it counts towards the case's current round."""
        return self.status != S.RETURNED and not self.superseded

    @property
    def open(self) -> bool:
        """Still owes the hub its result."""
        return self.status not in (S.RETURNED, S.FEEDBACK)

    def move(self, to: AssignmentStatus) -> None:
        if to not in ALLOWED[self.status]:
            raise IllegalTransition(
                f"assignment {self.id} is {self.status.value}; it cannot become {to.value}"
            )
        self.status = to

    def finished_on_time(self) -> bool:
        return self.feedback is not None and self.feedback.at <= self.due_at
