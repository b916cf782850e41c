"""The hub's HTTP API: one router gathering the cases, the figures and the citizen's tracking."""

from __future__ import annotations

from fastapi import APIRouter

from intake.api import cases, stats, track

router = APIRouter(prefix="/api/v1", tags=["hub"])
router.include_router(cases.router)
router.include_router(stats.router)
router.include_router(track.router)
