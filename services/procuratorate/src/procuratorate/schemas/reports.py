"""矛盾纠纷信息报送: a dispute report as filed, and as read (its parties unmasked only to
whoever filed it)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from fengqiao.contracts.codes import Category, Severity
from fengqiao.contracts.events import Location, Party
from fengqiao.storage import masked_party
from procuratorate.domain.dispute_report import DisputeReport
from procuratorate.schemas.common import Body


class DisputeReportIn(Body):
    external_ref: str = Field(min_length=1, max_length=100, examples=["12309-2026-0001"])
    category: Category
    severity: Severity = Severity.GENERAL
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    location: Location
    reported_at: AwareDatetime | None = Field(default=None, description="default: now")
    parties: list[Party] = Field(default_factory=list, max_length=200)
    emergency: bool = False


class ReportRead(DisputeReport):
    inbox: list[str] = Field(default_factory=list, exclude=True)


def report_read(report: DisputeReport, viewer: str) -> ReportRead:
    shown = report
    if viewer != report.reported_by:
        parties = [masked_party(p) for p in report.report.parties]
        shown = report.model_copy(
            update={"report": report.report.model_copy(update={"parties": parties})}
        )
    return ReportRead.model_validate(shown.model_dump())
