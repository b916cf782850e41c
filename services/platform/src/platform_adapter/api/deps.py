"""The FastAPI dependencies of the adapter's API: the adapter itself, and who may call it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fengqiao.security import Caller
from fengqiao.web.auth import require_role
from platform_adapter.bootstrap import Adapter, adapter_of

ROLES = ("sync_operator", "analyst")


def adapter(request: Request) -> Adapter:
    return adapter_of(request.app.state.runtime)


AdapterDep = Annotated[Adapter, Depends(adapter)]
Operator = Annotated[Caller, Depends(require_role(*ROLES))]
