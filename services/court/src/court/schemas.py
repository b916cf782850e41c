"""The court's HTTP schemas: bodies of each step, and the views of its matters with their clocks.

Parties are shown whole only to the one handling the matter (the mediation's mediator, the
confirmation's judge); everyone else sees them masked.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from court.domain.confirmation import JudicialConfirmation
from court.domain.mediators import Mediator, MediatorRole
from court.domain.prelitigation import PreLitigationMediation
from court.domain.returns import ReturnReason
from court.domain.suggestion import JudicialSuggestion
from fengqiao.contracts.codes import Category, Clock
from fengqiao.contracts.events import Location
from fengqiao.storage import masked_party

AGENCY_ID = r"^[a-z0-9][a-z0-9-]{0,62}$"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MediationAcceptanceIn(_In):
    mediator_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="omit: the least loaded mediator"
    )


class ReturnIn(_In):
    reason: ReturnReason
    detail: str | None = Field(default=None, max_length=2000, description="default: the reason")


class NoteIn(_In):
    note: str = Field(min_length=1, max_length=5000)


class AgreementIn(_In):
    terms: str = Field(min_length=1, max_length=10_000, description="调解协议 terms")
    confirmed: bool = Field(
        default=False, description="当场司法确认 by a judge: takes a 民特 ruling number"
    )


class ReasonIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class FilingIn(_In):
    filed_on: date | None = Field(default=None, description="立案日期; default: today (Beijing)")


class SuggestionIn(_In):
    department: str = Field(pattern=AGENCY_ID, description="the department's agency id")
    subject: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=10_000)
    category: Category
    location: Location | None = None
    related_case: str | None = Field(default=None, max_length=60, description="e.g. a 民初 number")
    reply_within_days: int = Field(default=60, ge=6, le=365)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "department": "dept-agriculture",
                    "subject": "规范土地承包合同",
                    "content": "近一年涉农土地承包纠纷增多, 建议规范承包合同文本",
                    "category": "land_rural",
                }
            ]
        },
    )


class Clocks(BaseModel):
    """The clocks of an order the court answers: the sender's, and the court's own limit."""

    accept_by: datetime
    order_due_at: datetime = Field(description="the sender's deadline for the whole order")
    due_at: datetime | None = Field(description="the court's own time limit, from acceptance")
    late: list[Clock] = Field(description="clocks that have run out")
    overdue: bool = Field(description="超期: still open after the court's time limit")


class MediationRead(PreLitigationMediation):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: Clocks


class ConfirmationRead(JudicialConfirmation):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: Clocks


class SuggestionClocks(BaseModel):
    accept_by: datetime
    reply_due: datetime
    late: list[Clock] = Field(description="clocks that have run out")
    overdue: bool = Field(description="逾期未回复: open after the reply date")


class SuggestionRead(JudicialSuggestion):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: SuggestionClocks


class MediatorRead(BaseModel):
    """调解员 on the roster, with their load: open mediations against their capacity."""

    id: str
    name: str
    role: MediatorRole
    label: str = Field(description="role and name, as the hub is told")
    active: bool
    open_cases: int
    capacity: int
    has_room: bool


class MediationPage(BaseModel):
    items: list[MediationRead]
    next_cursor: str | None


class ConfirmationPage(BaseModel):
    items: list[ConfirmationRead]
    next_cursor: str | None


class SuggestionPage(BaseModel):
    items: list[SuggestionRead]
    next_cursor: str | None


def mediation_read(
    mediation: PreLitigationMediation, now: datetime, *, viewer: str
) -> MediationRead:
    order = mediation.order
    clocks = Clocks(
        accept_by=order.accept_by,
        order_due_at=order.due_at,
        due_at=mediation.due_at,
        late=mediation.late_clocks(now),
        overdue=mediation.overdue(now),
    )
    whole = viewer == mediation.mediator_id
    parties = mediation.parties if whole else [masked_party(p) for p in mediation.parties]
    return MediationRead.model_validate(
        {**mediation.model_dump(), "parties": parties, "clocks": clocks}
    )


def confirmation_read(
    request: JudicialConfirmation, now: datetime, *, viewer: str
) -> ConfirmationRead:
    order = request.order
    clocks = Clocks(
        accept_by=order.accept_by,
        order_due_at=order.due_at,
        due_at=request.decision_due_at,
        late=request.late_clocks(now),
        overdue=request.overdue(now),
    )
    whole = viewer == request.judge_id
    parties = request.parties if whole else [masked_party(p) for p in request.parties]
    return ConfirmationRead.model_validate(
        {**request.model_dump(), "parties": parties, "clocks": clocks}
    )


def suggestion_read(suggestion: JudicialSuggestion, now: datetime) -> SuggestionRead:
    overdue = suggestion.overdue(now)
    clocks = SuggestionClocks(
        accept_by=suggestion.accept_by,
        reply_due=suggestion.reply_due,
        late=[Clock.ACCEPT] * suggestion.acceptance_overdue(now) + [Clock.FINISH] * overdue,
        overdue=overdue,
    )
    return SuggestionRead.model_validate({**suggestion.model_dump(), "clocks": clocks})


def mediator_read(mediator: Mediator) -> MediatorRead:
    return MediatorRead(
        **mediator.model_dump(include={"id", "name", "role", "active", "open_cases", "capacity"}),
        label=mediator.label,
        has_room=mediator.has_room,
    )
