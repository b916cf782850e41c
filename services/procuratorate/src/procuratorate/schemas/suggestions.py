"""检察建议: what a suggestion is issued with and closed with, and what a read shows."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from procuratorate.domain.suggesting import SuggestionDraft
from procuratorate.domain.suggestion import REPLY_MONTHS, Suggestion
from procuratorate.schemas.common import Body


class SuggestionIn(SuggestionDraft):
    """检察建议: to which department (its agency id), about what, on which legal basis."""

    model_config = ConfigDict(extra="forbid")

    department: str = Field(
        min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9._-]*$", examples=["dept-labour"]
    )
    reply_months: int = Field(default=REPLY_MONTHS, ge=1, le=12, description="回复期限 (months)")

    def draft(self) -> SuggestionDraft:
        return SuggestionDraft.model_validate(self.model_dump(exclude={"reply_months"}))


class SuggestionClosureIn(Body):
    note: str | None = Field(default=None, max_length=5000, description="the reply's assessment")


class SuggestionRead(Suggestion):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    overdue: bool = Field(description="逾期未回复: awaiting the reply past its deadline")


def suggestion_read(suggestion: Suggestion, now: datetime) -> SuggestionRead:
    return SuggestionRead.model_validate(
        {**suggestion.model_dump(), "overdue": suggestion.is_overdue(now)}
    )
