"""The adapter's HTTP API, for the operators who watch the sync: each upstream event's record,
the rejections with their reasons, the sync figures, and reconciliation on demand."""

from __future__ import annotations

from fastapi import APIRouter

from platform_adapter.api import records, rejections, sync

router = APIRouter(prefix="/api/v1", tags=["platform"])
router.include_router(records.router)
router.include_router(rejections.router)
router.include_router(sync.router)
