"""The hub's HTTP schemas: Create (in), Read (out) and the bodies of each step."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import Card, Category, Channel, Flag, Level, Outcome, Severity
from fengqiao.contracts.events import Location, Party
from fengqiao.security import validate_id_number, validate_phone
from intake.domain.case import Attachment, Case, CaseStatus
from intake.domain.policy import TaskSpec

IdNumber = Annotated[str, AfterValidator(validate_id_number)]
Phone = Annotated[str, AfterValidator(validate_phone)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartyIn(_In):
    name: str = Field(min_length=1, max_length=100)
    role: str = Field(default="applicant", max_length=40)
    id_number: IdNumber | None = Field(default=None, description="居民身份证号码 (18 characters)")
    phone: Phone | None = None
    address: str | None = Field(default=None, max_length=300)

    def party(self) -> Party:
        return Party.model_validate(self.model_dump())


class CaseCreate(_In):
    """登记: a request received at the window (or by hotline, letter, app...)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "walk_in",
                    "category": "land_rural",
                    "severity": "general",
                    "flags": [],
                    "title": "承包地边界纠纷",
                    "description": "两户村民因承包地边界发生争执，要求重新确界。",
                    "location": {
                        "city": "440700",
                        "county": "440781",
                        "town": "440781106",
                        "village": "440781106201",
                        "grid": "G07",
                    },
                    "parties": [
                        {"name": "张三", "id_number": "11010519491231002X", "phone": "13812345678"}
                    ],
                }
            ]
        },
    )

    channel: Channel
    category: Category
    severity: Severity = Severity.GENERAL
    flags: set[Flag] = Field(default_factory=set)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=10_000)
    location: Location
    parties: list[PartyIn] = Field(default_factory=list, max_length=200)
    attachments: list[Attachment] = Field(default_factory=list, max_length=100)


class CaseCreated(BaseModel):
    id: str
    tracking_code: str


class OverrideIn(_In):
    tasks: list[TaskSpec] = Field(min_length=1, description="the first is the lead force")
    reason: str = Field(min_length=1, max_length=2000)
    leader: bool = False


class AssessmentIn(_In):
    override: OverrideIn | None = Field(default=None, description="omit to apply the rule table")


class VerificationIn(_In):
    passed: bool = True
    note: str = Field(min_length=1, max_length=5000)


class ClosureIn(_In):
    summary: str = Field(min_length=1, max_length=10_000)
    outcome: Outcome | None = Field(default=None, description="default: from the feedback")


class FollowUpIn(_In):
    satisfaction: int = Field(ge=1, le=5, description="1–5; below 3 reopens the case")
    comment: str = Field(default="", max_length=5000)


class CaseRead(Case):
    """A case as staff see it; parties are masked unless the caller's role may see them."""

    parties: list[Party] = Field(default_factory=list)  # type: ignore[assignment]
    inbox: list[str] = Field(default_factory=list, exclude=True)


class CaseSummary(BaseModel):
    id: str
    tracking_code: str
    title: str
    category: Category
    severity: Severity
    status: CaseStatus
    level: Level
    registered_at: datetime
    due_at: datetime
    card: Card | None
    overdue: bool
    forces: list[str]


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")
