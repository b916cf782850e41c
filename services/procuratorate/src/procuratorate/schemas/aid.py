"""司法救助: the application, the ticks and the grant, and what a read shows (the applicant
unmasked only to the reviewing prosecutor)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from fengqiao.contracts.events import Party
from fengqiao.storage import masked_party
from procuratorate.domain.judicial_aid import AidApplication, Exclusion, Ground, Relation
from procuratorate.schemas.common import Body, Text

Yuan = Field(gt=0, max_digits=12, decimal_places=2, description="CNY, yuan and fen")


class AidIn(Body):
    case_id: str | None = Field(default=None, max_length=64)
    applicant: Party
    relation: Relation
    harm: str = Text
    hardship: str = Text
    amount_requested: Decimal = Yuan


class TicksIn(Body):
    grounds: list[Ground] = Field(default_factory=list, max_length=len(Ground))
    exclusions: list[Exclusion] = Field(default_factory=list, max_length=len(Exclusion))


class GrantIn(Body):
    amount: Decimal = Yuan


class AidRead(AidApplication):
    inbox: list[str] = Field(default_factory=list, exclude=True)


def aid_read(application: AidApplication, viewer: str) -> AidRead:
    shown = application
    if viewer != application.reviewer:
        shown = application.model_copy(update={"applicant": masked_party(application.applicant)})
    return AidRead.model_validate(shown.model_dump())
