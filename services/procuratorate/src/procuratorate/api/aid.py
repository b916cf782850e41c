"""司法救助: applications, their review with ticked grounds and exclusions, and the decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from procuratorate.adapters.queries import aid_page
from procuratorate.api.deps import Cursor, From, Id, Limit, Proc, Prosecutor, Staff, To
from procuratorate.domain import aid_review
from procuratorate.domain.judicial_aid import AidStatus, Relation
from procuratorate.handlers import steps
from procuratorate.handlers.aid import submit_aid
from procuratorate.schemas.aid import AidIn, AidRead, GrantIn, TicksIn, aid_read
from procuratorate.schemas.common import PageOf, ReasonIn, page_of

router = APIRouter()
PATH = "/judicial-aid/{application_id}"


@router.post("/judicial-aid", response_model=AidRead, status_code=201)
async def submit(body: AidIn, proc: Proc, caller: Staff) -> AidRead:
    """司法救助申请: who applies, their relation to the case, the harm, the hardship and the
    amount asked."""
    application = await submit_aid(
        proc,
        applicant=body.applicant,
        relation=body.relation,
        harm=body.harm,
        hardship=body.hardship,
        amount_requested=body.amount_requested,
        case_id=body.case_id,
    )
    return aid_read(application, caller.name)


@router.get("/judicial-aid", response_model=PageOf[AidRead])
async def list_applications(
    proc: Proc,
    caller: Staff,
    status: Annotated[list[AidStatus] | None, Query()] = None,
    relation: Annotated[list[Relation] | None, Query()] = None,
    case_id: Id = None,
    start: From = None,
    end: To = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOf[AidRead]:
    """Applications, newest first; filter by status, relation, case and period of submission."""
    page = await aid_page(
        proc.stores,
        status=status,
        relation=relation,
        case_id=case_id,
        start=start,
        end=end,
        cursor=cursor,
        limit=limit,
    )
    return page_of(page, lambda a: aid_read(a, caller.name))


@router.get(PATH, response_model=AidRead)
async def get_application(application_id: str, proc: Proc, caller: Staff) -> AidRead:
    """The application; the applicant unmasked only to its reviewing prosecutor."""
    return aid_read(await proc.stores.aid.get(application_id), caller.name)


@router.post(f"{PATH}/review", response_model=AidRead)
async def start_review(application_id: str, proc: Proc, caller: Prosecutor) -> AidRead:
    """审查: the calling prosecutor takes the application up."""
    application = await steps.change(
        proc,
        proc.stores.aid,
        application_id,
        lambda a, now: aid_review.start_review(a, reviewer=caller.name, now=now),
    )
    return aid_read(application, caller.name)


@router.post(f"{PATH}/grounds", response_model=AidRead)
async def tick(application_id: str, body: TicksIn, proc: Proc, caller: Prosecutor) -> AidRead:
    """勾选: the eligibility grounds and exclusions the facts support; replaces the last ticks."""
    application = await steps.change(
        proc,
        proc.stores.aid,
        application_id,
        lambda a, now: aid_review.tick(
            a, grounds=body.grounds, exclusions=body.exclusions, by=caller.name, now=now
        ),
    )
    return aid_read(application, caller.name)


@router.post(f"{PATH}/grant", response_model=AidRead)
async def grant(application_id: str, body: GrantIn, proc: Proc, caller: Prosecutor) -> AidRead:
    """决定救助: on a ticked ground with no exclusion, up to the cap."""
    cap = proc.settings.aid_cap
    application = await steps.change(
        proc,
        proc.stores.aid,
        application_id,
        lambda a, now: aid_review.grant(a, amount=body.amount, by=caller.name, now=now, cap=cap),
    )
    return aid_read(application, caller.name)


@router.post(f"{PATH}/denial", response_model=AidRead)
async def deny(application_id: str, body: ReasonIn, proc: Proc, caller: Prosecutor) -> AidRead:
    """不予救助: with the reason given to the applicant."""
    application = await steps.change(
        proc,
        proc.stores.aid,
        application_id,
        lambda a, now: aid_review.deny(a, reason=body.reason, by=caller.name, now=now),
    )
    return aid_read(application, caller.name)
