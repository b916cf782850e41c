"""One sync record per upstream event: the list, and what became of one event."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from platform_adapter.api.deps import AdapterDep, Operator
from platform_adapter.domain.codes import SyncState
from platform_adapter.domain.sync import SyncRecord
from platform_adapter.schemas.records import RecordPage

router = APIRouter()


@router.get("/records", response_model=RecordPage)
async def records(
    adapter: AdapterDep,
    caller: Operator,
    state: Annotated[list[SyncState] | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> RecordPage:
    """One record per upstream event, newest first: forwarded, registered, closed, duplicate
    (with the event it repeats) or rejected (with the reason)."""
    page = await adapter.stores.record_page(state, after=cursor, limit=limit)
    return RecordPage(items=page.items, next_cursor=page.next_cursor)


@router.get("/records/{event_id}", response_model=SyncRecord)
async def record(event_id: str, adapter: AdapterDep, caller: Operator) -> SyncRecord:
    """What became of one upstream event, with its history."""
    return await adapter.stores.records.get(event_id)
