"""The API's dependencies: the office, the caller's roles, and who may act on a mediation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from fengqiao.security import Caller
from fengqiao.web.auth import require_role
from justice.bootstrap import Office, office_of
from justice.schemas.legal_aid import AID_OFFICERS
from justice.schemas.mediations import handles

CLERKS = ("justice_staff",)  # 司法所工作人员: registers, assigns, returns
STAFF = (*CLERKS, "mediator")  # 调解员: works the mediations they are given


def office(request: Request) -> Office:
    return office_of(request.app.state.runtime)


OfficeDep = Annotated[Office, Depends(office)]
Clerk = Annotated[Caller, Depends(require_role(*CLERKS))]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]
AidStaff = Annotated[Caller, Depends(require_role(*CLERKS, *AID_OFFICERS))]


async def handled(office: Office, mediation_id: str, caller: Caller) -> None:
    """A mediator acts only on their own mediations; clerks on any."""
    mediation = await office.stores.mediations.get(mediation_id)
    if not caller.has_any(*CLERKS) and not handles(mediation, caller):
        raise HTTPException(403, detail=f"mediation {mediation_id} is not yours to handle")
