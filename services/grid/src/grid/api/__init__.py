"""HTTP routes of the grid service: each module parses, authorises and calls a handler; this
gathers them under one prefix, in the order the OpenAPI document lists them."""

from __future__ import annotations

from fastapi import APIRouter

from grid.api import grids, reports, scores, tasks

router = APIRouter(prefix="/api/v1", tags=["grid"])
router.include_router(tasks.router)
router.include_router(grids.router)
router.include_router(reports.router)
router.include_router(scores.router)
