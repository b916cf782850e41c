"""HTTP route of the territory: which grid holds a point, and who answers for it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fengqiao.storage import NotFound
from grid.api.deps import GridDep, Staff
from grid.schemas.grids import GridAt

router = APIRouter()


@router.get("/grids/at", response_model=GridAt)
async def grid_at(
    grid: GridDep,
    caller: Staff,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
) -> GridAt:
    """网格定位: the grid holding the point, its units above and who answers for it."""
    found = grid.territory.grid_at(lon, lat)
    if found is None:
        raise NotFound(f"no grid of the territory holds ({lon}, {lat})")
    post = grid.roster.post(found.code)
    chain = [
        {"code": u.code, "name": u.name, "level": u.level.value}
        for u in grid.territory.chain(found.code)
    ]
    return GridAt(
        grid=found.code,
        name=found.name,
        chain=chain,
        worker=post.worker,
        head=post.head,
        partner=post.partner,
    )
