"""The FastAPI dependencies of the grid's routes: its context and who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fengqiao.security import Caller
from fengqiao.web.auth import require_role
from grid.bootstrap import Grid, grid_of

WORKERS = ("grid_worker", "grid_head")
STAFF = (*WORKERS, "analyst")


def grid(request: Request) -> Grid:
    return grid_of(request.app.state.runtime)


GridDep = Annotated[Grid, Depends(grid)]
Worker = Annotated[Caller, Depends(require_role(*WORKERS))]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]
