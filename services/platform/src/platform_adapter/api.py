"""HTTP routes of the adapter, for the operators who watch the sync: each upstream event's
record, the rejections with their reasons, the sync figures, and reconciliation on demand."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from fengqiao.circuit import CircuitState
from fengqiao.security import Caller
from fengqiao.storage import newest_first
from fengqiao.web.auth import require_role
from platform_adapter.adapters.store import RejectedInput
from platform_adapter.bootstrap import adapter_of
from platform_adapter.domain.codes import SyncState
from platform_adapter.domain.sync import SyncRecord
from platform_adapter.handlers import Adapter
from platform_adapter.pushing import reconcile

router = APIRouter(prefix="/api/v1", tags=["platform"])
ROLES = ("sync_operator", "analyst")


def adapter(request: Request) -> Adapter:
    return adapter_of(request.app.state.runtime)


AdapterDep = Annotated[Adapter, Depends(adapter)]
Operator = Annotated[Caller, Depends(require_role(*ROLES))]


class RecordPage(BaseModel):
    items: list[SyncRecord]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")


class RejectionPage(BaseModel):
    items: list[RejectedInput]
    next_cursor: str | None


class SyncStatus(BaseModel):
    """同步指标: throughput, errors, lag and the breaker in front of the platform."""

    pulled: int
    forwarded: int
    duplicates: int
    rejected: int
    pushed: int
    repaired: int
    pull_errors: int
    push_errors: int
    owed_pushes: int = Field(description="records that may still owe the platform a push")
    behind: bool = Field(description="the last page said more events are waiting")
    lag_s: float | None = Field(description="now minus the newest event's report time")
    last_pull_at: datetime | None
    breaker: CircuitState


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
    where: dict[str, Any] = {"state": {"$in": [s.value for s in state]}} if state else {}
    page = await newest_first(
        adapter.stores.records, where, by="received_at", after=cursor, limit=limit
    )
    return RecordPage(items=page.items, next_cursor=page.next_cursor)


@router.get("/records/{event_id}", response_model=SyncRecord)
async def record(event_id: str, adapter: AdapterDep, caller: Operator) -> SyncRecord:
    """What became of one upstream event, with its history."""
    return await adapter.stores.records.get(event_id)


@router.get("/rejections", response_model=RejectionPage)
async def rejections(
    adapter: AdapterDep,
    caller: Operator,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> RejectionPage:
    """Upstream input too broken to name (no event id), with the reason; rejected events that
    have an id are records in state `rejected`."""
    page = await newest_first(
        adapter.stores.rejections, {}, by="received_at", after=cursor, limit=limit
    )
    return RejectionPage(items=page.items, next_cursor=page.next_cursor)


@router.get("/sync/status", response_model=SyncStatus)
async def sync_status(adapter: AdapterDep, caller: Operator) -> SyncStatus:
    """The sync's figures since this process started, its lag and the circuit breaker."""
    f = adapter.figures
    now = adapter.clock()
    lag = None if f.newest_reported_at is None else (now - f.newest_reported_at).total_seconds()
    return SyncStatus(
        **{k: getattr(f, k) for k in ("pulled", "forwarded", "duplicates", "rejected")},
        **{k: getattr(f, k) for k in ("pushed", "repaired", "pull_errors", "push_errors")},
        owed_pushes=len(adapter.owed),
        behind=f.behind,
        lag_s=lag,
        last_pull_at=f.last_pull_at,
        breaker=adapter.breaker.state(time.monotonic()),
    )


@router.post("/sync/reconciliation", response_model=dict[str, int])
async def reconcile_now(adapter: AdapterDep, caller: Operator) -> dict[str, int]:
    """对账 now: compare every synced event with the platform and push what it lost."""
    return {"repaired": await reconcile(adapter)}
