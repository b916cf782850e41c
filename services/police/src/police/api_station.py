"""HTTP routes about the station as a whole: its units and its response figures."""

from __future__ import annotations

from fastapi import APIRouter

from fengqiao.clock import now_utc
from police.adapters.store import all_of
from police.api import Staff, StationDep
from police.domain.response import circle_report
from police.domain.units import Unit
from police.schemas import ResponseStats

router = APIRouter(prefix="/api/v1", tags=["police"])


@router.get("/units", response_model=list[Unit])
async def units(station: StationDep, caller: Staff) -> list[Unit]:
    """The roster with each unit's status and position."""
    return sorted([u async for u in all_of(station.units)], key=lambda u: u.id)


@router.get("/stats/response", response_model=ResponseStats)
async def response_stats(station: StationDep, caller: Staff) -> ResponseStats:
    """The share of arrivals inside their 1-3-5 circle."""
    responses = [i.response async for i in all_of(station.incidents)]
    return ResponseStats.of(circle_report(responses, now=now_utc()))
