"""The case (案件): one citizen matter from one-window intake to follow-up.

registered → assessed → dispatched → awaiting verification → verified → closed → followed up.
A return, a failed verification or an unhappy citizen sends it to re-assessment.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, computed_field

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import (
    Card,
    Category,
    Channel,
    Clock,
    CodeList,
    Flag,
    Level,
    Severity,
)
from fengqiao.contracts.events import Location
from intake.domain.assignment import Assignment, AssignmentStatus
from intake.domain.errors import IllegalTransition, UnknownAssignment
from intake.domain.policy import TaskSpec
from intake.domain.timeline import Step, TimelineEntry


class CaseStatus(CodeList):
    REGISTERED = ("registered", "已受理", "registered")
    REASSESSMENT = ("reassessment", "待重新研判", "awaiting re-assessment")
    ASSESSED = ("assessed", "已研判", "assessed")
    DISPATCHED = ("dispatched", "办理中", "being handled")
    AWAITING_VERIFICATION = ("awaiting_verification", "待核查", "awaiting verification")
    VERIFIED = ("verified", "已核查", "verified")
    CLOSED = ("closed", "已结案", "closed")
    FOLLOWED_UP = ("followed_up", "已回访", "followed up")


C = CaseStatus
# Statuses in which the case clock runs: the hub still owes the citizen a result.
OPEN = frozenset({C.REGISTERED, C.REASSESSMENT, C.ASSESSED, C.DISPATCHED, C.AWAITING_VERIFICATION})
# 督办: a yellow card falls at this share of a clock's time, a red one when it runs out.
YELLOW_AT = 2 / 3
FINISHED = frozenset({C.CLOSED, C.FOLLOWED_UP})


class Officer(BaseModel):
    id: str
    name: str


class SealedParty(BaseModel):
    """A party as stored: personal data encrypted, with its masked form for ordinary reads."""

    role: str
    sealed: str = Field(description="name, ID number, phone and address, encrypted")
    masked: dict[str, str | None]


class Attachment(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    media_type: str = Field(max_length=100)
    size: int = Field(ge=0)
    uri: str = Field(max_length=2000)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class PlannedTask(TaskSpec):
    """A task of the plan: what one force must do, and whether it leads."""

    lead: bool


class Assessment(BaseModel):
    """研判: the plan and why: the rule that fired, or the officer's override and reason."""

    rule_id: str | None
    policy_version: str
    explanation: str
    tasks: list[PlannedTask]
    leader_needed: bool = False
    by: str
    at: datetime
    override_reason: str | None = None


class Closure(BaseModel):
    at: datetime
    outcome: str
    summary: str
    by: str


class FollowUp(BaseModel):
    at: datetime
    satisfaction: int = Field(ge=1, le=5)
    comment: str = ""
    by: str


class Case(Aggregate):
    tracking_code: str
    channel: Channel
    category: Category
    severity: Severity
    flags: set[Flag] = Field(default_factory=set)
    title: str
    description: str
    location: Location
    parties: list[SealedParty] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    first_contact: Officer
    reporter: str | None = Field(default=None, description="agency that reported it, if any")
    external_ref: str | None = None
    registered_at: datetime
    status: CaseStatus = C.REGISTERED
    level: Level
    leader: str | None = None
    due_at: datetime
    clock_started_at: datetime | None = Field(
        default=None, description="start of the current round's case clock (None: registration)"
    )
    card: Card | None = None
    assessment: Assessment | None = None
    assignments: list[Assignment] = Field(default_factory=list)
    verified_at: datetime | None = None
    closure: Closure | None = None
    follow_ups: list[FollowUp] = Field(default_factory=list)
    reopened: int = 0
    on_the_spot: bool = Field(default=False, description="现场办结: settled where it was found")
    timeline: list[TimelineEntry] = Field(default_factory=list)

    def record(
        self,
        step: Step,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        assignment_id: str | None = None,
        event_id: str | None = None,
    ) -> None:
        self.timeline.append(
            TimelineEntry(
                at=at,
                step=step,
                actor=actor,
                status=self.status.value,
                reason=reason,
                assignment_id=assignment_id,
                event_id=event_id,
            )
        )

    def require(self, *allowed: CaseStatus, to: str) -> None:
        if self.status not in allowed:
            raise IllegalTransition(
                f"case {self.id} is {self.status.value}; cannot {to} "
                f"(allowed from {', '.join(s.value for s in allowed)})"
            )

    def assignment(self, assignment_id: str) -> Assignment:
        for assignment in self.assignments:
            if assignment.id == assignment_id:
                return assignment
        raise UnknownAssignment(f"case {self.id} has no assignment {assignment_id}")

    @property
    def live_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.live]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def next_check_at(self) -> datetime | None:
        """When the next card can fall: derived from the clocks, stored for the supervisor's
        query, so it can never disagree with the case."""
        moments: list[datetime] = []
        for assignment, clock, start, due in running_clocks(self):
            held = self.card if assignment is None else assignment.cards.get(clock)
            if held is None:
                moments.append(start + (due - start) * YELLOW_AT)
            elif held is Card.YELLOW:
                moments.append(due)
        return min(moments) if moments else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overdue(self) -> bool:
        return self.card is Card.RED or any(Card.RED in a.cards.values() for a in self.assignments)


def running_clocks(case: Case) -> list[tuple[Assignment | None, Clock, datetime, datetime]]:
    """Every clock still running: (assignment or None for the case, clock, start, due)."""
    clocks: list[tuple[Assignment | None, Clock, datetime, datetime]] = []
    for a in case.live_assignments:
        if a.status == AssignmentStatus.SENT:
            clocks.append((a, Clock.ACCEPT, a.sent_at, a.accept_by))
        if a.open:
            clocks.append((a, Clock.FINISH, a.sent_at, a.due_at))
    if case.status in OPEN:
        clocks.append((None, Clock.CASE, case.clock_started_at or case.registered_at, case.due_at))
    return clocks
