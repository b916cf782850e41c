"""What the procuratorate's reads show: each aggregate without its inbox, with its parties
masked (``masked_party``) except to the staff member handling the matter, and pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from fengqiao.aggregate import Aggregate
from fengqiao.storage import Page, masked_party
from procuratorate.adapters.store import DisputeReport
from procuratorate.domain.hearing import Hearing
from procuratorate.domain.judicial_aid import AidApplication
from procuratorate.domain.suggestion import Suggestion
from procuratorate.domain.supervision import SupervisionCase

T = TypeVar("T", bound=BaseModel)
A = TypeVar("A", bound=Aggregate)


class CaseRead(SupervisionCase):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class SuggestionRead(Suggestion):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    overdue: bool = Field(description="逾期未回复: awaiting the reply past its deadline")


class IssuedRead(BaseModel):
    case: CaseRead
    suggestion: SuggestionRead


class HearingRead(Hearing):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class AidRead(AidApplication):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class ReportRead(DisputeReport):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class PageOf(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="pass back as `cursor` for the next page")


def case_read(case: SupervisionCase, viewer: str) -> CaseRead:
    shown = (
        case
        if viewer == case.handler
        else case.model_copy(update={"parties": [masked_party(p) for p in case.parties]})
    )
    return CaseRead.model_validate(shown.model_dump())


def suggestion_read(suggestion: Suggestion, now: datetime) -> SuggestionRead:
    return SuggestionRead.model_validate(
        {**suggestion.model_dump(), "overdue": suggestion.is_overdue(now)}
    )


def hearing_read(hearing: Hearing) -> HearingRead:
    return HearingRead.model_validate(hearing.model_dump())


def aid_read(application: AidApplication, viewer: str) -> AidRead:
    shown = application
    if viewer != application.reviewer:
        shown = application.model_copy(update={"applicant": masked_party(application.applicant)})
    return AidRead.model_validate(shown.model_dump())


def report_read(report: DisputeReport, viewer: str) -> ReportRead:
    shown = report
    if viewer != report.reported_by:
        parties = [masked_party(p) for p in report.report.parties]
        shown = report.model_copy(
            update={"report": report.report.model_copy(update={"parties": parties})}
        )
    return ReportRead.model_validate(shown.model_dump())


def page_of(page: Page[A], read: Callable[[A], T]) -> PageOf[T]:
    return PageOf[T](items=[read(item) for item in page.items], next_cursor=page.next_cursor)
