"""The hub's figures (办结率, 化解率, …) over the cases a filter selects."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from fengqiao.contracts.codes import Category
from intake.adapters.filters import case_filter
from intake.adapters.store import all_cases
from intake.api.deps import HubDep, Staff
from intake.domain import stats

router = APIRouter()


@router.get("/stats", response_model=stats.Stats)
async def get_stats(
    hub: HubDep,
    caller: Staff,
    category: Annotated[list[Category] | None, Query()] = None,
    area: Annotated[str | None, Query(max_length=40)] = None,
    area_level: Annotated[str, Query(pattern="^(city|county|town|village|grid)$")] = "town",
    registered_from: datetime | None = None,
    registered_to: datetime | None = None,
) -> stats.Stats:
    """办结率 = finished / accepted, 化解率 = resolved / accepted; by category, force, area."""
    where = case_filter(
        category=category, area=area, registered_from=registered_from, registered_to=registered_to
    )
    return stats.compute([c async for c in all_cases(hub.cases, where)], area_level=area_level)
