"""矛盾纠纷信息报送: dispute information collected by the procuratorate, reported to the hub."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from fengqiao.contracts.codes import Category
from procuratorate.adapters.queries import report_page
from procuratorate.api.deps import Cursor, From, Limit, Proc, Staff, To
from procuratorate.handlers.reports import report_to_hub
from procuratorate.schemas.common import PageOf, page_of
from procuratorate.schemas.reports import DisputeReportIn, ReportRead, report_read

router = APIRouter()


@router.post(
    "/dispute-reports",
    response_model=ReportRead,
    status_code=201,
    responses={200: {"model": ReportRead, "description": "reported before: the first report"}},
)
async def report(
    body: DisputeReportIn, proc: Proc, caller: Staff, response: Response
) -> ReportRead:
    """报送: the hub gets it as `case.reported` (201). A resubmission with the same
    `external_ref` is not sent again: the first report is answered (200)."""
    stored, sent = await report_to_hub(
        proc,
        external_ref=body.external_ref,
        category=body.category,
        title=body.title,
        description=body.description,
        location=body.location,
        reported_at=body.reported_at,
        severity=body.severity,
        parties=body.parties,
        emergency=body.emergency,
        by=caller.name,
    )
    if not sent:
        response.status_code = 200
    return report_read(stored, caller.name)


@router.get("/dispute-reports", response_model=PageOf[ReportRead])
async def list_reports(
    proc: Proc,
    caller: Staff,
    category: Annotated[list[Category] | None, Query()] = None,
    start: From = None,
    end: To = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOf[ReportRead]:
    """Reports sent, newest first; filter by category and period sent."""
    page = await report_page(
        proc.stores, category=category, start=start, end=end, cursor=cursor, limit=limit
    )
    return page_of(page, lambda r: report_read(r, caller.name))


@router.get("/dispute-reports/{report_id}", response_model=ReportRead)
async def get_report(report_id: str, proc: Proc, caller: Staff) -> ReportRead:
    """One report as sent; parties unmasked only to whoever filed it."""
    return report_read(await proc.stores.reports.get(report_id), caller.name)
