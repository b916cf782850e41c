"""Build the grid's dependencies once per process from its settings and runtime."""

from __future__ import annotations

from fengqiao.runtime import Runtime
from grid.adapters.store import Stores
from grid.domain.roster import load_roster
from grid.domain.territory import load_territory
from grid.handlers import Grid
from grid.settings import GridSettings


def grid_of(runtime: Runtime) -> Grid:
    grid = runtime.state.get("grid")
    if isinstance(grid, Grid):
        return grid
    grid = Grid(
        stores=Stores(runtime.db),
        territory=load_territory(),
        roster=load_roster(),
        agency=runtime.settings.agency_id,
        settings=GridSettings(),
    )
    runtime.state["grid"] = grid
    return grid
