"""The gateway's HTTP edge: the registry's admin API, the agencies' edge (a token, sending and
pulling events), the citizens' Open311 API and case tracking."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.api import agencies, events, open311, track

router = APIRouter()
# events.router carries the edge's token endpoint (api/oauth.py) with it.
for module in (agencies, events, open311, track):
    router.include_router(module.router)
