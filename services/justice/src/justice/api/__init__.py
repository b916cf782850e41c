"""The office's HTTP routes under ``/api/v1``, one module per aggregate, gathered in one router."""

from __future__ import annotations

from fastapi import APIRouter

from justice.api import advisers, agreements, directory, legal_aid, mediations

router = APIRouter(prefix="/api/v1", tags=["justice"])
for part in (mediations, agreements, directory, legal_aid, advisers):
    router.include_router(part.router)
