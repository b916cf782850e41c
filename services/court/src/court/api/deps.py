"""Who may do what in the court's API, the court's context, and the query parameters every list
shares."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from court.bootstrap import Tribunal, court_of
from fengqiao.contracts.codes import Category
from fengqiao.security import Caller
from fengqiao.web.auth import require_role

CLERK, JUDGE, MEDIATOR = "court_clerk", "judge", "court_mediator"  # 立案庭书记员, 法官, 调解员
STAFF = (CLERK, JUDGE, MEDIATOR)


def tribunal(request: Request) -> Tribunal:
    return court_of(request.app.state.runtime)


TribunalDep = Annotated[Tribunal, Depends(tribunal)]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]
Filing = Annotated[Caller, Depends(require_role(CLERK, JUDGE))]  # 立案庭: accepts, returns, files
Mediating = Annotated[Caller, Depends(require_role(MEDIATOR, JUDGE))]
Judge = Annotated[Caller, Depends(require_role(JUDGE))]

Cursor = Annotated[str | None, Query(max_length=500, description="`next_cursor` of the last page")]
Limit = Annotated[int, Query(ge=1, le=200)]
Categories = Annotated[list[Category] | None, Query()]
Since = Annotated[datetime | None, Query(alias="from", description="received at or after")]
Until = Annotated[datetime | None, Query(alias="to", description="received before")]


def judge_to_confirm(caller: Caller, *, confirmed: bool) -> None:
    """A mediator records an agreement; only a judge confirms it at once (当场司法确认)."""
    if confirmed and not caller.has_any(JUDGE):
        raise HTTPException(403, detail="only a judge confirms an agreement (司法确认)")
