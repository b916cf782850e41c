"""HTTP routes of legal aid (法律援助): applications, their review, lawyer and closure."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from fengqiao.contracts.codes import Category
from justice.adapters.queries import aid_applications
from justice.api.deps import AidStaff, OfficeDep
from justice.domain.legal_aid import LegalAidStatus
from justice.handlers import legal_aid as handlers
from justice.schemas.legal_aid import (
    AidClosureIn,
    AidPage,
    AidRead,
    AidRequestIn,
    LawyerIn,
    ReviewIn,
    aid_read,
)

router = APIRouter()


@router.post("/legal-aid", status_code=201, response_model=AidRead)
async def submit(body: AidRequestIn, office: OfficeDep, caller: AidStaff) -> AidRead:
    """申请法律援助: registered as submitted."""
    return aid_read(await handlers.submit(office, request=body, by=caller.name), caller)


@router.get("/legal-aid", response_model=AidPage)
async def applications(
    office: OfficeDep,
    caller: AidStaff,
    status: Annotated[list[LegalAidStatus] | None, Query()] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    submitted_from: Annotated[datetime | None, Query(alias="from")] = None,
    submitted_to: Annotated[datetime | None, Query(alias="to")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AidPage:
    """Legal-aid applications, newest first; ``from``/``to`` bound the submission time."""
    page = await aid_applications(
        office.stores,
        status=status,
        category=category,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        cursor=cursor,
        limit=limit,
    )
    return AidPage(items=[aid_read(a, caller) for a in page.items], next_cursor=page.next_cursor)


@router.get("/legal-aid/{application_id}", response_model=AidRead)
async def application(application_id: str, office: OfficeDep, caller: AidStaff) -> AidRead:
    """The application with its record, eligibility, lawyer and result."""
    return aid_read(await office.stores.legal_aid.get(application_id), caller)


@router.post("/legal-aid/{application_id}/review", response_model=AidRead)
async def review(
    application_id: str, body: ReviewIn, office: OfficeDep, caller: AidStaff
) -> AidRead:
    """审查: approved or denied by the special grounds and the means test (经济困难审查), or
    denied on other grounds with ``deny_reason``."""
    app = await handlers.review(
        office, application_id=application_id, by=caller.name, deny_reason=body.deny_reason
    )
    return aid_read(app, caller)


@router.post("/legal-aid/{application_id}/lawyer", response_model=AidRead)
async def assign_lawyer(
    application_id: str, body: LawyerIn, office: OfficeDep, caller: AidStaff
) -> AidRead:
    """指派律师 to an approved application: the named one, or the best fit with room."""
    app = await handlers.assign_lawyer(
        office, application_id=application_id, by=caller.name, lawyer_id=body.lawyer_id
    )
    return aid_read(app, caller)


@router.post("/legal-aid/{application_id}/closure", response_model=AidRead)
async def close(
    application_id: str, body: AidClosureIn, office: OfficeDep, caller: AidStaff
) -> AidRead:
    """结案 with the result of the lawyer's work."""
    app = await handlers.close(
        office, application_id=application_id, by=caller.name, result=body.result
    )
    return aid_read(app, caller)
