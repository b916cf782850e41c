"""The FastAPI dependencies of the station's routes: its context and who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fengqiao.security import Caller
from fengqiao.web.auth import require_role
from police.bootstrap import Station, station_of

STAFF = ("dispatcher", "officer", "leader")
DESK = ("dispatcher",)  # 接警台 / 指挥室: registers and sends units
FIELD = ("dispatcher", "officer")  # what officers at the scene report


def station(request: Request) -> Station:
    return station_of(request.app.state.runtime)


StationDep = Annotated[Station, Depends(station)]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]
Desk = Annotated[Caller, Depends(require_role(*DESK))]
OnScene = Annotated[Caller, Depends(require_role(*FIELD))]
