"""HTTP routes of the procuratorate service (检察院派驻检察室): translate requests to handler
calls, nothing more; one module per kind of record. Staff roles: ``prosecutor`` (检察官)
decides, ``procuratorate_clerk`` (书记员) files, schedules and reads."""

from __future__ import annotations

from fastapi import APIRouter

from procuratorate.api import aid, cases, hearings, reports, suggestions

router = APIRouter(prefix="/api/v1", tags=["procuratorate"])
for part in (cases, suggestions, hearings, aid, reports):
    router.include_router(part.router)
