"""HTTP route of the court service for its mediator roster (调解员名册)."""

from __future__ import annotations

from fastapi import APIRouter

from court.api.deps import Staff, TribunalDep
from court.schemas.mediators import MediatorRead, mediator_read

router = APIRouter(prefix="/api/v1", tags=["court"])


@router.get("/mediators", response_model=list[MediatorRead])
async def mediators(tribunal: TribunalDep, caller: Staff) -> list[MediatorRead]:
    """调解员名册 with each mediator's open mediations (their load)."""
    return [mediator_read(m) for m in await tribunal.stores.roster()]
