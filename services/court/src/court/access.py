"""Who may do what in the court's API, and the filters every list shares."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from court.bootstrap import court_of
from court.handlers import Tribunal
from fengqiao.contracts.codes import Category, CodeList
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


def where(
    *,
    status: Sequence[CodeList] | None,
    category: Sequence[Category] | None,
    since: datetime | None,
    until: datetime | None,
    extra: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The query of a list: each filter given narrows it; none gives everything."""
    clauses: list[dict[str, Any]] = list(extra)
    if status:
        clauses.append({"status": {"$in": [s.value for s in status]}})
    if category:
        clauses.append({"category": {"$in": [c.value for c in category]}})
    if since is not None:
        clauses.append({"received_at": {"$gte": since}})
    if until is not None:
        clauses.append({"received_at": {"$lt": until}})
    return {"$and": clauses} if clauses else {}
