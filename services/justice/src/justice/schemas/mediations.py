"""HTTP schemas of mediations: bodies of each step, and the inbox and record views. Parties are
shown masked except to the mediator handling the mediation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from fengqiao.contracts.codes import Category, Severity
from fengqiao.contracts.events import Party
from fengqiao.security import Caller
from fengqiao.storage import masked_party
from justice.domain.clocks import Clocks, clocks
from justice.domain.drafting import AgreementDraft
from justice.domain.fields import CommitteeField
from justice.domain.mediation import Mediation, MediationStatus, Source
from justice.domain.reception import Application

MEDIATOR = "mediator"
Name = Annotated[str, Field(min_length=1, max_length=100)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicationIn(Application):
    """调解申请 at the office's window."""

    model_config = ConfigDict(extra="forbid")


class AcceptanceIn(_In):
    """受理: omit ``mediator_id`` for the automatic choice; name one (with a reason) to override."""

    mediator_id: str | None = Field(default=None, min_length=1, max_length=64)
    reason: str | None = Field(default=None, min_length=1, max_length=500)

    @model_validator(mode="after")
    def reason_goes_with_a_mediator(self) -> AcceptanceIn:
        if self.reason is not None and self.mediator_id is None:
            raise ValueError("a reason is given only when naming a mediator (mediator_id)")
        return self


class ReturnIn(_In):
    reason_code: str = Field(min_length=1, max_length=60)
    reason: str = Field(min_length=1, max_length=2000)


class SessionIn(_In):
    """调解记录: when (default now), where, who attended, what was said."""

    at: AwareDatetime | None = None
    place: str = Field(min_length=1, max_length=200)
    attendees: list[Name] = Field(min_length=1, max_length=100)
    notes: str = Field(default="", max_length=10_000)


class AgreementIn(AgreementDraft):
    """达成协议; ``ask_confirmation`` sends it to the court for 司法确认 at once."""

    ask_confirmation: bool = False


class FailureIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class MediationSummary(BaseModel):
    """One line of the inbox."""

    id: str
    title: str
    source: Source
    category: Category
    field: CommitteeField
    severity: Severity
    status: MediationStatus
    received_at: datetime
    tracking_code: str | None
    committee_id: str | None
    committee_name: str | None
    mediator_id: str | None
    mediator_name: str | None
    agreement_number: str | None
    clocks: Clocks


class MediationRead(Mediation):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: Clocks


class MediationPage(BaseModel):
    items: list[MediationSummary]
    next_cursor: str | None = None


def handles(mediation: Mediation, caller: Caller) -> bool:
    """Whether the caller is the mediator handling this mediation (调解员本人)."""
    choice = mediation.choice
    return caller.has_any(MEDIATOR) and choice is not None and choice.mediator_id == caller.subject


def _masked(parties: list[Any]) -> list[dict[str, Any]]:
    return [masked_party(Party.model_validate(p)).model_dump() for p in parties]


def mediation_read(mediation: Mediation, caller: Caller, now: datetime) -> MediationRead:
    data = mediation.model_dump()
    if not handles(mediation, caller):
        data["parties"] = _masked(data["parties"])
        if data["agreement"] is not None:
            data["agreement"]["parties"] = _masked(data["agreement"]["parties"])
    return MediationRead.model_validate({**data, "clocks": clocks(mediation, now)})


def mediation_summary(m: Mediation, now: datetime) -> MediationSummary:
    choice = m.choice
    return MediationSummary(
        id=m.id,
        title=m.title,
        source=m.source,
        category=m.category,
        field=m.field,
        severity=m.severity,
        status=m.status,
        received_at=m.received_at,
        tracking_code=m.hub.tracking_code if m.hub else None,
        committee_id=choice.committee_id if choice else None,
        committee_name=choice.committee_name if choice else None,
        mediator_id=choice.mediator_id if choice else None,
        mediator_name=choice.mediator_name if choice else None,
        agreement_number=m.agreement.number if m.agreement else None,
        clocks=clocks(m, now),
    )
