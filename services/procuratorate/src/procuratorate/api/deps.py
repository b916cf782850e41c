"""What every route depends on: the service, the caller's role, paging and filter queries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from fengqiao.security import Caller
from fengqiao.web.auth import require_role
from procuratorate.bootstrap import Procuratorate, procuratorate_of

PROSECUTORS = ("prosecutor",)  # 检察官: decides on cases, suggestions and aid
STAFF = (*PROSECUTORS, "procuratorate_clerk")  # 书记员 / 检察辅助人员: files, schedules, reads


def procuratorate(request: Request) -> Procuratorate:
    return procuratorate_of(request.app.state.runtime)


Proc = Annotated[Procuratorate, Depends(procuratorate)]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]
Prosecutor = Annotated[Caller, Depends(require_role(*PROSECUTORS))]
Cursor = Annotated[
    str | None, Query(max_length=500, description="`next_cursor` of the previous page")
]
Limit = Annotated[int, Query(ge=1, le=200)]
From = Annotated[datetime | None, Query(alias="from", description="period start (inclusive)")]
To = Annotated[datetime | None, Query(alias="to", description="period end (exclusive)")]
Id = Annotated[str | None, Query(max_length=64)]
