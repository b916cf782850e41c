"""The body of a judicial suggestion (司法建议) to a department, and its view with its clocks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from court.domain.suggestion import JudicialSuggestion
from court.schemas.common import Body
from fengqiao.contracts.codes import Category, Clock
from fengqiao.contracts.events import Location

AGENCY_ID = r"^[a-z0-9][a-z0-9-]{0,62}$"


class SuggestionIn(Body):
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


class SuggestionClocks(BaseModel):
    accept_by: datetime
    reply_due: datetime
    late: list[Clock] = Field(description="clocks that have run out")
    overdue: bool = Field(description="逾期未回复: open after the reply date")


class SuggestionRead(JudicialSuggestion):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: SuggestionClocks


class SuggestionPage(BaseModel):
    items: list[SuggestionRead]
    next_cursor: str | None


def suggestion_read(suggestion: JudicialSuggestion, now: datetime) -> SuggestionRead:
    overdue = suggestion.overdue(now)
    clocks = SuggestionClocks(
        accept_by=suggestion.accept_by,
        reply_due=suggestion.reply_due,
        late=[Clock.ACCEPT] * suggestion.acceptance_overdue(now) + [Clock.FINISH] * overdue,
        overdue=overdue,
    )
    return SuggestionRead.model_validate({**suggestion.model_dump(), "clocks": clocks})
