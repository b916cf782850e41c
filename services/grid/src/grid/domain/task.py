"""A task from the hub (任务交办): verify facts (核实), visit parties (走访), mediate small matters
(调解) or handle a matter (办理), made from a ``case.transferred.v1`` and owed back as feedback.

assigned → accepted → in progress → done (反馈), or assigned → returned (退回) to the hub. The
hub's clocks travel with it: ``accept_by`` (签收时限) and ``due_at`` (办结时限). Who holds it
follows the duty rules; every change of hands is kept in ``handovers``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import Action, Category, Clock, CodeList, Outcome, Severity
from fengqiao.contracts.events import DocumentRef, Location, Party
from grid.domain.duty import Route
from grid.domain.errors import AlreadyAccepted, IllegalTransition, NotAssignee


class TaskStatus(CodeList):
    ASSIGNED = ("assigned", "已派单", "assigned")
    ACCEPTED = ("accepted", "已签收", "accepted")
    IN_PROGRESS = ("in_progress", "办理中", "in progress")
    DONE = ("done", "已反馈", "done, feedback given")
    RETURNED = ("returned", "已退回", "returned to the hub")


T = TaskStatus
ALLOWED: dict[TaskStatus, frozenset[TaskStatus]] = {
    T.ASSIGNED: frozenset({T.ACCEPTED, T.RETURNED}),
    T.ACCEPTED: frozenset({T.IN_PROGRESS, T.DONE}),
    T.IN_PROGRESS: frozenset({T.IN_PROGRESS, T.DONE}),
    T.DONE: frozenset(),
    T.RETURNED: frozenset(),
}
OPEN = frozenset({T.ASSIGNED, T.ACCEPTED, T.IN_PROGRESS})


class Handover(BaseModel):
    """One change of hands (移交): A/B cover, the morning hand-over, an escalation."""

    at: datetime
    from_worker: str | None
    to_worker: str
    route: Route
    reason_zh: str
    reason_en: str


class Progress(BaseModel):
    at: datetime
    by: str
    note: str


class TaskFeedback(BaseModel):
    at: datetime
    by: str
    outcome: Outcome
    summary: str
    documents: list[DocumentRef] = Field(default_factory=list)


class HubTask(Aggregate):
    """The id is the hub's assignment id: one task per assignment, so a redelivery is a no-op."""

    case_id: str
    action: Action
    category: Category
    severity: Severity
    title: str
    summary: str
    location: Location
    parties: list[Party] = Field(default_factory=list, description="PII: seal at rest")
    grid: str
    urgent: bool
    status: TaskStatus = T.ASSIGNED
    assignee: str
    route: Route
    assigned_at: datetime
    accept_by: datetime
    due_at: datetime
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    pending_handover_to: str | None = None
    pending_handover_at: datetime | None = None
    progress: list[Progress] = Field(default_factory=list)
    feedback: TaskFeedback | None = None
    returned_at: datetime | None = None
    return_reason_code: str | None = None
    return_reason: str | None = None
    handovers: list[Handover] = Field(default_factory=list)
    notices: list[Progress] = Field(
        default_factory=list, description="督办 / 提级督办 / 结案 lines from the task's sender"
    )
    escalated: dict[Clock, datetime] = Field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def overdue(self, now: datetime) -> list[Clock]:
        """The hub's clocks that have run out while they still bind."""
        late = []
        if self.status is T.ASSIGNED and now > self.accept_by:
            late.append(Clock.ACCEPT)
        if self.open and now > self.due_at:
            late.append(Clock.FINISH)
        return late

    def finished_on_time(self) -> bool | None:
        """None while open or returned; else whether the feedback beat the due time."""
        return None if self.feedback is None else self.feedback.at <= self.due_at

    def check(self, to: TaskStatus) -> None:
        """Raise if the task cannot become ``to``; changes nothing."""
        if to is T.ACCEPTED and self.accepted_at is not None:
            raise AlreadyAccepted(
                f"task {self.id} was accepted already by {self.accepted_by} at "
                f"{self.accepted_at.isoformat()}"
            )
        if to not in ALLOWED[self.status]:
            raise IllegalTransition(
                f"task {self.id} is {self.status.value}; it cannot become {to.value}"
            )

    def move(self, to: TaskStatus) -> None:
        self.check(to)
        self.status = to

    def require_assignee(self, worker: str) -> None:
        if worker != self.assignee:
            raise NotAssignee(f"task {self.id} is held by {self.assignee}, not {worker}")


class StoredTask(HubTask):
    """A hub task and the agency that sent it: its answers go back there (hub or police)."""

    sender: str = Field(description="agency id the transfer came from")
