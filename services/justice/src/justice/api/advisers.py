"""HTTP routes of the village legal advisers (一村一法律顾问), one per village by its 12-digit
code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from justice.adapters.queries import advisers_appointed
from justice.api.deps import Clerk, OfficeDep, Staff
from justice.domain.advisers import LegalAdviser
from justice.domain.errors import NoAdviser
from justice.handlers.advisers import appoint_adviser
from justice.schemas.advisers import AdviserIn, AdviserPage, AdviserRead

router = APIRouter()
Village = Annotated[str, Path(pattern=r"^[0-9]{12}$")]


@router.get("/advisers", response_model=AdviserPage)
async def advisers(
    office: OfficeDep,
    caller: Staff,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AdviserPage:
    """村(居)法律顾问, the most recently appointed first."""
    page = await advisers_appointed(office.stores, cursor=cursor, limit=limit)
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
    record = await appoint_adviser(office, adviser=adviser, replace=body.replace, by=caller.name)
    response.status_code = 200 if existed else 201
    return AdviserRead.model_validate(record.model_dump())
