"""For the citizen: their case by its tracking code, with no personal data."""

from __future__ import annotations

from fastapi import APIRouter

from fengqiao.storage import NotFound
from intake.api.deps import HubDep
from intake.domain.views import PublicView, public_view

router = APIRouter()


@router.get("/track/{tracking_code}", response_model=PublicView, tags=["citizen"])
async def track(tracking_code: str, hub: HubDep) -> PublicView:
    """For the citizen: the stage and the steps of their case, with no personal data."""
    case_id = await hub.tracking.case_of(tracking_code.upper())
    case = await hub.cases.find(case_id) if case_id else None
    if case is None:
        raise NotFound(f"no case with tracking code {tracking_code}")
    return public_view(case)
