"""HTTP route of the station's response figures (到场率)."""

from __future__ import annotations

from fastapi import APIRouter

from fengqiao.clock import now_utc
from police.adapters.store import all_of
from police.api.deps import Staff, StationDep
from police.domain.response import circle_report
from police.schemas.stats import ResponseStats

router = APIRouter()


@router.get("/stats/response", response_model=ResponseStats)
async def response_stats(station: StationDep, caller: Staff) -> ResponseStats:
    """The share of arrivals inside their 1-3-5 circle."""
    responses = [i.response async for i in all_of(station.incidents)]
    return ResponseStats.of(circle_report(responses, now=now_utc()))
