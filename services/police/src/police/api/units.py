"""HTTP route of the station's units: the roster as it stands."""

from __future__ import annotations

from fastapi import APIRouter

from police.adapters.store import all_of
from police.api.deps import Staff, StationDep
from police.domain.units import Unit

router = APIRouter()


@router.get("/units", response_model=list[Unit])
async def units(station: StationDep, caller: Staff) -> list[Unit]:
    """The roster with each unit's status and position."""
    return sorted([u async for u in all_of(station.units)], key=lambda u: u.id)
