"""The FastAPI dependencies of the hub's API: the hub itself, and who may call what."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fengqiao.security import Caller
from fengqiao.web.auth import require_role
from intake.bootstrap import Hub, hub_of
from intake.domain.case import Officer

STAFF = ("officer", "supervisor", "leader", "analyst")
HANDLING = ("officer", "supervisor")


def hub(request: Request) -> Hub:
    return hub_of(request.app.state.runtime)


HubDep = Annotated[Hub, Depends(hub)]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]
Handler = Annotated[Caller, Depends(require_role(*HANDLING))]


def officer(caller: Caller) -> Officer:
    return Officer(id=caller.subject, name=caller.name)
