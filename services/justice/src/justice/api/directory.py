"""HTTP routes of the office's directory: committees (调委会), mediators with their current load,
the expert pool (专家库) suggested for a mediation, and legal-aid lawyers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from justice.api.deps import OfficeDep, Staff
from justice.domain.choice import suggest_experts
from justice.domain.fields import CommitteeField
from justice.handlers.legal_aid import lawyer_load
from justice.handlers.mediations import current_load
from justice.schemas.directory import (
    CommitteeList,
    CommitteeRead,
    ExpertList,
    LawyerList,
    LawyerRead,
    MediatorList,
    MediatorRead,
)

router = APIRouter()


@router.get("/committees", response_model=CommitteeList)
async def committees(office: OfficeDep, caller: Staff) -> CommitteeList:
    """人民调解委员会: one per field, with the mediators sitting on each."""
    directory = office.directory
    return CommitteeList(
        items=[
            CommitteeRead(**c.model_dump(), members=[m.id for m in directory.members(c.id)])
            for c in directory.committees
        ]
    )


@router.get("/mediators", response_model=MediatorList)
async def mediators(
    office: OfficeDep,
    caller: Staff,
    committee: Annotated[str | None, Query(max_length=64)] = None,
    field: CommitteeField | None = None,
    available: bool | None = None,
) -> MediatorList:
    """调解员 with their current load (open mediations) and whether they can take another."""
    load = await current_load(office)
    items = []
    for m in office.directory.mediators:
        n = load.get(m.id, 0)
        read = MediatorRead(**m.model_dump(), load=n, available=m.active and n < m.capacity)
        if committee is not None and committee not in m.committees:
            continue
        if field is not None and not m.knows(field):
            continue
        if available is not None and read.available is not available:
            continue
        items.append(read)
    return MediatorList(items=items)


@router.get("/mediations/{mediation_id}/experts", response_model=ExpertList)
async def experts(
    mediation_id: str,
    office: OfficeDep,
    caller: Staff,
    limit: Annotated[int, Query(ge=1, le=20)] = 3,
) -> ExpertList:
    """推荐专家: active experts of the mediation's field, nearest to the dispute first."""
    mediation = await office.stores.mediations.get(mediation_id)
    found = suggest_experts(office.directory, mediation.field, mediation.location, limit=limit)
    return ExpertList(items=found)


@router.get("/lawyers", response_model=LawyerList)
async def lawyers(office: OfficeDep, caller: Staff) -> LawyerList:
    """法律援助律师 with their open legal-aid cases."""
    load = await lawyer_load(office)
    return LawyerList(
        items=[
            LawyerRead(**lawyer.model_dump(), load=load.get(lawyer.id, 0))
            for lawyer in office.directory.lawyers
        ]
    )
