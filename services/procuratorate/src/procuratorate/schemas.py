"""The procuratorate's HTTP schemas: the body of each step, and what reads show. Parties are
masked except to the staff member handling the matter."""

from __future__ import annotations

from decimal import Decimal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import Category, Severity
from fengqiao.contracts.events import Location, Party
from procuratorate.domain.hearing import Participant
from procuratorate.domain.judicial_aid import Exclusion, Ground, Relation
from procuratorate.domain.suggesting import SuggestionDraft
from procuratorate.domain.suggestion import REPLY_MONTHS

Text = Field(min_length=1, max_length=5000)
Yuan = Field(gt=0, max_digits=12, decimal_places=2, description="CNY, yuan and fen")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AcceptanceIn(_In):
    handler: str | None = Field(
        default=None, min_length=1, max_length=100, description="承办检察官; default: the caller"
    )


class ReturnIn(_In):
    reason_code: str = Field(min_length=1, max_length=60, examples=["procuratorate.duplicate"])
    reason: str = Field(min_length=1, max_length=2000)


class NoteIn(_In):
    note: str = Text


class SuggestionIn(SuggestionDraft):
    """检察建议: to which department (its agency id), about what, on which legal basis."""

    model_config = ConfigDict(extra="forbid")

    department: str = Field(
        min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9._-]*$", examples=["dept-labour"]
    )
    reply_months: int = Field(default=REPLY_MONTHS, ge=1, le=12, description="回复期限 (months)")

    def draft(self) -> SuggestionDraft:
        return SuggestionDraft.model_validate(self.model_dump(exclude={"reply_months"}))


class ClosureIn(_In):
    summary: str = Field(min_length=1, max_length=10_000)


class SuggestionClosureIn(_In):
    note: str | None = Field(default=None, max_length=5000, description="the reply's assessment")


class ReasonIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class HearingIn(_In):
    case_id: str | None = Field(default=None, max_length=64, description="omit: standalone")
    subject: str = Field(min_length=1, max_length=200)
    at: AwareDatetime = Field(description="when it is held; must be in the future")
    place: str = Field(min_length=1, max_length=300)
    participants: list[Participant] = Field(min_length=1, max_length=60)


class RescheduleIn(_In):
    at: AwareDatetime
    place: str | None = Field(default=None, min_length=1, max_length=300)


class HearingRecordIn(_In):
    summary: str = Field(min_length=1, max_length=10_000)
    conclusion: str = Text
    majority_opinion: str = Field(min_length=1, max_length=5000, description="听证员多数意见")


class AidIn(_In):
    case_id: str | None = Field(default=None, max_length=64)
    applicant: Party
    relation: Relation
    harm: str = Text
    hardship: str = Text
    amount_requested: Decimal = Yuan


class TicksIn(_In):
    grounds: list[Ground] = Field(default_factory=list, max_length=len(Ground))
    exclusions: list[Exclusion] = Field(default_factory=list, max_length=len(Exclusion))


class GrantIn(_In):
    amount: Decimal = Yuan


class DisputeReportIn(_In):
    external_ref: str = Field(min_length=1, max_length=100, examples=["12309-2026-0001"])
    category: Category
    severity: Severity = Severity.GENERAL
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    location: Location
    reported_at: AwareDatetime | None = Field(default=None, description="default: now")
    parties: list[Party] = Field(default_factory=list, max_length=200)
    emergency: bool = False
