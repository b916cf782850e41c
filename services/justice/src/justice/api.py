"""HTTP routes of the justice office for mediations: translate requests to handler calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.exceptions import HTTPException

from fengqiao.clock import now_utc
from fengqiao.contracts.codes import Category
from fengqiao.contracts.orders import Notice
from fengqiao.security import Caller
from fengqiao.storage import newest_first
from fengqiao.web.auth import require_role
from justice import handlers
from justice.adapters.documents import DOCX
from justice.bootstrap import office_of
from justice.domain import confirmation, steps
from justice.domain.clocks import overdue_query
from justice.domain.fields import CommitteeField
from justice.domain.mediation import Mediation, MediationStatus, Session, Source
from justice.handlers import Office
from justice.schemas import (
    AcceptanceIn,
    AgreementIn,
    ApplicationIn,
    FailureIn,
    MediationPage,
    MediationRead,
    ReturnIn,
    SessionIn,
    handles,
    mediation_read,
    mediation_summary,
)

router = APIRouter(prefix="/api/v1", tags=["justice"])
CLERKS = ("justice_staff",)  # 司法所工作人员: registers, assigns, returns
STAFF = (*CLERKS, "mediator")  # 调解员: works the mediations they are given


def office(request: Request) -> Office:
    return office_of(request.app.state.runtime)


OfficeDep = Annotated[Office, Depends(office)]
Clerk = Annotated[Caller, Depends(require_role(*CLERKS))]
Staff = Annotated[Caller, Depends(require_role(*STAFF))]


async def handled(office: Office, mediation_id: str, caller: Caller) -> None:
    """A mediator acts only on their own mediations; clerks on any."""
    mediation = await office.stores.mediations.get(mediation_id)
    if not caller.has_any(*CLERKS) and not handles(mediation, caller):
        raise HTTPException(403, detail=f"mediation {mediation_id} is not yours to handle")


async def step(
    office: Office,
    mediation_id: str,
    caller: Caller,
    do: Callable[[Mediation], Sequence[Notice] | None],
) -> MediationRead:
    mediation = await handlers.change(office, office.stores.mediations, mediation_id, do)
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations", status_code=201, response_model=MediationRead)
async def register(body: ApplicationIn, office: OfficeDep, caller: Clerk) -> MediationRead:
    """当事人申请调解: a walk-in application, the office's own mediation (the hub is not told)."""
    mediation = await handlers.register(office, application=body, by=caller.name)
    return mediation_read(mediation, caller, now_utc())


@router.get("/mediations", response_model=MediationPage)
async def inbox(
    office: OfficeDep,
    caller: Staff,
    status: Annotated[list[MediationStatus] | None, Query()] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    field: Annotated[list[CommitteeField] | None, Query()] = None,
    source: Annotated[list[Source] | None, Query()] = None,
    committee: Annotated[str | None, Query(max_length=64)] = None,
    mediator: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool | None = None,
    received_from: Annotated[datetime | None, Query(alias="from")] = None,
    received_to: Annotated[datetime | None, Query(alias="to")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MediationPage:
    """收案登记 (inbox), newest first, with each mediation's clocks (签收/办结时限, overdue).
    ``from``/``to`` bound the receipt time; ``cursor`` is the previous page's ``next_cursor``."""
    now = now_utc()
    where: list[dict[str, Any]] = []
    for name, values in (
        ("status", status),
        ("category", category),
        ("field", field),
        ("source", source),
    ):
        if values:
            where.append({name: {"$in": [v.value for v in values]}})
    if committee:
        where.append({"choice.committee_id": committee})
    if mediator:
        where.append({"choice.mediator_id": mediator})
    if overdue is not None:
        late = overdue_query(now)
        where.append(late if overdue else {"$nor": [late]})
    if received_from is not None:
        where.append({"received_at": {"$gte": received_from}})
    if received_to is not None:
        where.append({"received_at": {"$lt": received_to}})
    page = await newest_first(
        office.stores.mediations,
        {"$and": where} if where else {},
        by="received_at",
        after=cursor,
        limit=limit,
    )
    return MediationPage(
        items=[mediation_summary(m, now) for m in page.items], next_cursor=page.next_cursor
    )


@router.get("/mediations/{mediation_id}", response_model=MediationRead)
async def get_mediation(mediation_id: str, office: OfficeDep, caller: Staff) -> MediationRead:
    """The mediation with its record (调解流水), sessions, agreement, confirmation and clocks."""
    mediation = await office.stores.mediations.get(mediation_id)
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/acceptance", response_model=MediationRead)
async def accept(
    mediation_id: str, body: AcceptanceIn, office: OfficeDep, caller: Clerk
) -> MediationRead:
    """受理: committee and mediator chosen by field, place and current load, or the named
    mediator (指定, with the reason); the hub hears who handles its order."""
    mediation = await handlers.accept(
        office,
        mediation_id=mediation_id,
        by=caller.name,
        mediator_id=body.mediator_id,
        reason=body.reason,
    )
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/return", response_model=MediationRead)
async def give_back(
    mediation_id: str, body: ReturnIn, office: OfficeDep, caller: Clerk
) -> MediationRead:
    """退回 a hub order that is not for people's mediation, before it is accepted."""

    def do(m: Mediation) -> list[Notice]:
        return steps.return_to_hub(
            m, reason_code=body.reason_code, reason=body.reason, by=caller.name, now=now_utc()
        )

    return await step(office, mediation_id, caller, do)


@router.post("/mediations/{mediation_id}/sessions", response_model=MediationRead)
async def hold_session(
    mediation_id: str, body: SessionIn, office: OfficeDep, caller: Staff
) -> MediationRead:
    """调解记录: a meeting with the parties was held; the hub hears of it."""
    await handled(office, mediation_id, caller)

    def do(m: Mediation) -> list[Notice]:
        now = now_utc()
        session = Session(**body.model_dump(exclude={"at"}), at=body.at or now)
        return steps.hold_session(m, session, by=caller.name, now=now)

    return await step(office, mediation_id, caller, do)


@router.post("/mediations/{mediation_id}/agreement", response_model=MediationRead)
async def agree(
    mediation_id: str, body: AgreementIn, office: OfficeDep, caller: Staff
) -> MediationRead:
    """达成协议: numbered (都斛调〔year〕n号), rendered as 人民调解协议书 and filed; the hub gets
    the feedback, or — with ``ask_confirmation`` — the court gets the agreement to confirm."""
    await handled(office, mediation_id, caller)
    mediation = await handlers.record_agreement(
        office,
        mediation_id=mediation_id,
        text=body,
        by=caller.name,
        ask_confirmation=body.ask_confirmation,
    )
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/confirmation", response_model=MediationRead)
async def ask_confirmation(mediation_id: str, office: OfficeDep, caller: Staff) -> MediationRead:
    """申请司法确认 of the mediation's agreement; 404 when there is no agreement to confirm."""
    await handled(office, mediation_id, caller)

    def do(m: Mediation) -> list[Notice]:
        return confirmation.request(m, by=caller.name, now=now_utc(), court=office.court)

    return await step(office, mediation_id, caller, do)


@router.post("/mediations/{mediation_id}/failure", response_model=MediationRead)
async def fail(
    mediation_id: str, body: FailureIn, office: OfficeDep, caller: Staff
) -> MediationRead:
    """调解不成 (终止调解) with the reason; the hub gets it as feedback."""
    await handled(office, mediation_id, caller)

    def do(m: Mediation) -> list[Notice]:
        return steps.fail(m, reason=body.reason, by=caller.name, now=now_utc())

    return await step(office, mediation_id, caller, do)


@router.get(
    "/mediations/{mediation_id}/agreement.docx",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}, "description": "人民调解协议书 (DOCX)"}},
)
async def agreement_document(mediation_id: str, office: OfficeDep, caller: Staff) -> Response:
    """人民调解协议书 as filed (DOCX); its SHA-256 is the one the hub and the court were given."""
    mediation, data = await handlers.agreement_document(office, mediation_id=mediation_id)
    number = mediation.agreement.number if mediation.agreement else "agreement"
    disposition = (
        f'attachment; filename="agreement-{mediation_id}.docx"; '
        f"filename*=UTF-8''{quote(number + '.docx')}"
    )
    return Response(data, media_type=DOCX, headers={"Content-Disposition": disposition})
