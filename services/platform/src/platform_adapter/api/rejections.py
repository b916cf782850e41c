"""Upstream input rejected before it could be named (no event id), with the reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from platform_adapter.api.deps import AdapterDep, Operator
from platform_adapter.schemas.rejections import RejectionPage

router = APIRouter()


@router.get("/rejections", response_model=RejectionPage)
async def rejections(
    adapter: AdapterDep,
    caller: Operator,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> RejectionPage:
    """Upstream input too broken to name (no event id), with the reason; rejected events that
    have an id are records in state `rejected`."""
    page = await adapter.stores.rejection_page(after=cursor, limit=limit)
    return RejectionPage(items=page.items, next_cursor=page.next_cursor)
