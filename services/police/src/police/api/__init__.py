"""HTTP routes of the police service: each module parses, authorises and calls a handler; this
gathers them under one prefix, in the order the OpenAPI document lists them."""

from __future__ import annotations

from fastapi import APIRouter

from police.api import incidents, stats, units

router = APIRouter(prefix="/api/v1", tags=["police"])
router.include_router(incidents.router)
router.include_router(units.router)
router.include_router(stats.router)
