"""Version 1 of the events agencies exchange. A breaking change is a new type (``.v2``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import (
    Action,
    Card,
    Category,
    Channel,
    Clock,
    Level,
    Outcome,
    Severity,
)
from fengqiao.contracts.registry import EventData, event_type


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(_Part):
    """Administrative codes from city down to grid, with optional coordinates."""

    city: str | None = None
    county: str | None = None
    town: str | None = None
    village: str | None = None
    grid: str | None = None
    address: str | None = None
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)


class Party(_Part):
    """A party to the matter. ID number and phone leave an agency only when policy needs them."""

    name: str = Field(min_length=1, max_length=100)
    role: str = Field(default="applicant", max_length=40)
    id_number: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=300)


class DocumentRef(_Part):
    """A document held by the sending agency (agreement, ruling, photo), by reference."""

    title: str = Field(max_length=200)
    uri: str = Field(max_length=2000)
    media_type: str | None = None
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class _AssignmentEvent(EventData):
    case_id: str = Field(min_length=1)
    assignment_id: str = Field(min_length=1)


class OnTheSpot(_Part):
    """现场办结: the reporter already settled the matter where it found it."""

    at: datetime
    outcome: Outcome
    summary: str = Field(min_length=1, max_length=5000)
    handler: str = Field(min_length=1, max_length=100, description="who settled it")


@event_type("case.reported.v1")
class CaseReported(EventData):
    """事件上报: a force reports a matter to the hub."""

    external_ref: str = Field(min_length=1, description="the reporter's own id for the matter")
    channel: Channel
    category: Category
    severity: Severity = Severity.GENERAL
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(max_length=10_000)
    location: Location
    parties: list[Party] = Field(default_factory=list, max_length=200)
    reported_at: datetime
    emergency: bool = False
    resolved_on_the_spot: OnTheSpot | None = Field(
        default=None, description="set when the matter was settled on the spot: a record to count"
    )


@event_type("case.registered.v1")
class CaseRegistered(EventData):
    """受理回告: the hub tells a reporter which case its report became and how to track it."""

    case_id: str = Field(min_length=1)
    external_ref: str = Field(min_length=1, description="the reporter's own id for the matter")
    tracking_code: str = Field(min_length=1)
    registered_at: datetime


@event_type("case.transferred.v1")
class CaseTransferred(_AssignmentEvent):
    """流转 / 发令: the hub orders a force to act on a case, by a deadline."""

    tracking_code: str | None = None
    category: Category
    severity: Severity
    emergency: bool = Field(default=False, description="紧急: act now, day or night")
    action: Action
    lead: bool = Field(description="true for the lead force, false for a co-force")
    unit: str | None = Field(
        default=None, max_length=100, description="the unit to act, e.g. a mediation committee"
    )
    title: str = Field(max_length=200)
    summary: str = Field(max_length=10_000)
    location: Location
    parties: list[Party] = Field(default_factory=list, max_length=200)
    due_at: datetime
    accept_by: datetime


@event_type("case.accepted.v1")
class CaseAccepted(_AssignmentEvent):
    """签收: the force accepts the order."""

    accepted_at: datetime
    handler: str = Field(min_length=1, max_length=100, description="officer or unit handling it")


@event_type("case.returned.v1")
class CaseReturned(_AssignmentEvent):
    """退回: the force returns the order, with a reason, for re-assessment."""

    returned_at: datetime
    reason_code: str = Field(min_length=1, max_length=60)
    reason: str = Field(min_length=1, max_length=2000)


@event_type("case.progressed.v1")
class CaseProgressed(_AssignmentEvent):
    """办理进展: an interim report on the work."""

    at: datetime
    note: str = Field(min_length=1, max_length=5000)


@event_type("case.feedback.v1")
class CaseFeedback(_AssignmentEvent):
    """反馈: the force's result for its part."""

    at: datetime
    outcome: Outcome
    summary: str = Field(min_length=1, max_length=10_000)
    documents: list[DocumentRef] = Field(default_factory=list, max_length=100)


@event_type("case.updated.v1")
class CaseUpdated(EventData):
    """流程看板: the hub tells the agency that reported a case (e.g. the platform) each stage the
    case reaches, so the reporter's own system shows it without asking."""

    case_id: str = Field(min_length=1)
    external_ref: str | None = Field(default=None, description="the reporter's own id")
    status: str = Field(min_length=1, max_length=40, description="the hub's case status code")
    status_zh: str = Field(default="", max_length=40)
    at: datetime
    note: str = Field(default="", max_length=2000)


@event_type("case.closed.v1")
class CaseClosed(EventData):
    """结案: the hub closed the case; forces and the platform archive their part."""

    case_id: str = Field(min_length=1)
    closed_at: datetime
    outcome: Outcome
    summary: str = Field(max_length=10_000)
    assignment_ids: list[str] = Field(
        default_factory=list,
        max_length=1000,
        description="the recipient's assignments on the case, so it finds its records by id; "
        "empty from a sender that does not say (then every record of the case is concerned)",
    )


@event_type("case.supervised.v1")
class CaseSupervised(EventData):
    """督办通知: a clock of the case reached a card; the force is urged to act."""

    case_id: str = Field(min_length=1)
    assignment_id: str | None = None
    clock: Clock
    card: Card
    due_at: datetime
    level: Level = Field(description="the level now supervising the case")
    notice: str = Field(max_length=2000)


@event_type("case.escalated.v1")
class CaseEscalated(EventData):
    """提级督办: an overdue case moved one administrative level up."""

    case_id: str = Field(min_length=1)
    assignment_id: str | None = None
    from_level: Level
    to_level: Level
    at: datetime
    reason: str = Field(max_length=2000)
    leader: str | None = Field(default=None, description="the responsible leader (包案领导)")


@event_type("exchange.receipt.v1")
class ExchangeReceipt(EventData):
    """回执: the gateway delivered an event to its recipient."""

    event_id: str
    original_type: str
    recipient: str
    delivered_at: datetime
    audit_sequence: int = Field(ge=0)
    audit_hash: str = Field(pattern=r"^[0-9a-f]{64}$")


@event_type("exchange.rejected.v1")
class ExchangeRejected(EventData):
    """拒收: the gateway refused an event; nothing was delivered."""

    event_id: str
    original_type: str
    recipient: str | None = Field(default=None, description="whom it was for, if it said")
    reason_code: str
    reason: str
