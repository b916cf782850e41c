"""The sync as a whole: its figures, and reconciliation on demand."""

from __future__ import annotations

import time

from fastapi import APIRouter

from platform_adapter.api.deps import AdapterDep, Operator
from platform_adapter.handlers.pushes import reconcile
from platform_adapter.schemas.sync import SyncStatus

router = APIRouter()


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
