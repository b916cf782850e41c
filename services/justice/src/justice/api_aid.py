"""HTTP routes of legal aid (法律援助) and the village legal advisers (一村一法律顾问)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from fengqiao.contracts.codes import Category
from fengqiao.security import Caller
from fengqiao.storage import newest_first
from fengqiao.web.auth import require_role
from justice import handlers_aid
from justice.api import CLERKS, OfficeDep, Staff
from justice.domain.advisers import LegalAdviser
from justice.domain.errors import NoAdviser
from justice.domain.legal_aid import LegalAidStatus
from justice.schemas_aid import (
    AID_OFFICERS,
    AdviserIn,
    AdviserPage,
    AdviserRead,
    AidClosureIn,
    AidPage,
    AidRead,
    AidRequestIn,
    LawyerIn,
    ReviewIn,
    aid_read,
)

router = APIRouter(prefix="/api/v1", tags=["justice"])
AidStaff = Annotated[Caller, Depends(require_role(*CLERKS, *AID_OFFICERS))]
Clerk = Annotated[Caller, Depends(require_role(*CLERKS))]
Village = Annotated[str, Path(pattern=r"^[0-9]{12}$")]


@router.post("/legal-aid", status_code=201, response_model=AidRead)
async def submit(body: AidRequestIn, office: OfficeDep, caller: AidStaff) -> AidRead:
    """申请法律援助: registered as submitted."""
    return aid_read(await handlers_aid.submit(office, request=body, by=caller.name), caller)


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
    where: list[dict[str, Any]] = []
    if status:
        where.append({"status": {"$in": [s.value for s in status]}})
    if category:
        where.append({"category": {"$in": [c.value for c in category]}})
    if submitted_from is not None:
        where.append({"submitted_at": {"$gte": submitted_from}})
    if submitted_to is not None:
        where.append({"submitted_at": {"$lt": submitted_to}})
    page = await newest_first(
        office.stores.legal_aid,
        {"$and": where} if where else {},
        by="submitted_at",
        after=cursor,
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
    app = await handlers_aid.review(
        office, application_id=application_id, by=caller.name, deny_reason=body.deny_reason
    )
    return aid_read(app, caller)


@router.post("/legal-aid/{application_id}/lawyer", response_model=AidRead)
async def assign_lawyer(
    application_id: str, body: LawyerIn, office: OfficeDep, caller: AidStaff
) -> AidRead:
    """指派律师 to an approved application: the named one, or the best fit with room."""
    app = await handlers_aid.assign_lawyer(
        office, application_id=application_id, by=caller.name, lawyer_id=body.lawyer_id
    )
    return aid_read(app, caller)


@router.post("/legal-aid/{application_id}/closure", response_model=AidRead)
async def close(
    application_id: str, body: AidClosureIn, office: OfficeDep, caller: AidStaff
) -> AidRead:
    """结案 with the result of the lawyer's work."""
    app = await handlers_aid.close(
        office, application_id=application_id, by=caller.name, result=body.result
    )
    return aid_read(app, caller)


@router.get("/advisers", response_model=AdviserPage)
async def advisers(
    office: OfficeDep,
    caller: Staff,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AdviserPage:
    """村(居)法律顾问, the most recently appointed first."""
    page = await newest_first(
        office.stores.advisers, {}, by="registered_at", after=cursor, limit=limit
    )
    return AdviserPage(
        items=[AdviserRead.model_validate(a.model_dump()) for a in page.items],
        next_cursor=page.next_cursor,
    )


@router.get("/advisers/{village}", response_model=AdviserRead)
async def adviser(village: Village, office: OfficeDep, caller: Staff) -> AdviserRead:
    """The legal adviser of the village (its 12-digit code), with the appointments on record."""
    record = await office.stores.advisers.find(village)
    if record is None:
        raise NoAdviser(f"no legal adviser is registered for village {village}")
    return AdviserRead.model_validate(record.model_dump())


@router.put("/advisers/{village}", response_model=AdviserRead)
async def appoint(
    village: Village, body: AdviserIn, office: OfficeDep, caller: Clerk, response: Response
) -> AdviserRead:
    """聘任 the village's adviser (201 when it had none); another one needs ``replace`` (换聘),
    else 409."""
    existed = await office.stores.advisers.find(village) is not None
    adviser = LegalAdviser(village=village, **body.model_dump(exclude={"replace"}))
    record = await handlers_aid.appoint_adviser(
        office, adviser=adviser, replace=body.replace, by=caller.name
    )
    response.status_code = 200 if existed else 201
    return AdviserRead.model_validate(record.model_dump())
