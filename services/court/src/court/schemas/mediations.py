"""Bodies of the steps of a pre-litigation mediation (诉前调解), and its view with its clocks.
Parties are shown whole only to the mediation's mediator; everyone else sees them masked."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from court.domain.prelitigation import PreLitigationMediation
from court.schemas.common import Body, Clocks
from fengqiao.storage import masked_party


class MediationAcceptanceIn(Body):
    mediator_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="omit: the least loaded mediator"
    )


class AgreementIn(Body):
    terms: str = Field(min_length=1, max_length=10_000, description="调解协议 terms")
    confirmed: bool = Field(
        default=False, description="当场司法确认 by a judge: takes a 民特 ruling number"
    )


class FilingIn(Body):
    filed_on: date | None = Field(default=None, description="立案日期; default: today (Beijing)")


class MediationRead(PreLitigationMediation):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: Clocks


class MediationPage(BaseModel):
    items: list[MediationRead]
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
