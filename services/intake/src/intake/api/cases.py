"""The hub's cases over HTTP: register, read, list, and each step of the loop — parse, call the
handler, answer with the case as the caller may see it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query

from fengqiao.contracts.codes import Category, Severity
from fengqiao.security import Caller
from intake.adapters.filters import case_filter
from intake.adapters.store import query_cases
from intake.api.deps import Handler, HubDep, Staff, officer
from intake.bootstrap import Hub
from intake.domain import loop
from intake.domain.case import Case, CaseStatus
from intake.domain.registration import Intake
from intake.handlers import cases as handlers
from intake.schemas.cases import (
    AssessmentIn,
    CaseCreate,
    CaseCreated,
    CasePage,
    CaseRead,
    CaseSummary,
    ClosureIn,
    FollowUpIn,
    VerificationIn,
)

router = APIRouter()
CASE_ID = r"^[0-9a-f]{20}$"


def read(hub: Hub, case: Case, caller: Caller) -> CaseRead:
    """The case with its parties opened for the roles that may see them, masked for the rest."""
    sees = caller.has_any(*hub.settings.pii_roles)
    parties = [
        hub.vault.open(p, case_id=case.id) if sees else hub.vault.masked(p) for p in case.parties
    ]
    return CaseRead.model_validate({**case.model_dump(exclude={"parties"}), "parties": parties})


@router.post("/cases", status_code=201, response_model=CaseCreated)
async def register_case(
    body: CaseCreate,
    hub: HubDep,
    caller: Handler,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=128,
            description="the same key again (a retry) returns the case registered the first time",
        ),
    ] = None,
) -> CaseCreated:
    """无差别受理: register a request from any channel; the caller owns it (首问负责)."""
    intake = Intake.model_validate(body.model_dump(exclude={"parties"}))
    case = await handlers.register_case(
        hub,
        intake=intake,
        parties=[p.party() for p in body.parties],
        officer=officer(caller),
        idempotency_key=idempotency_key,
    )
    return CaseCreated(id=case.id, tracking_code=case.tracking_code)


@router.get("/cases/{case_id}", response_model=CaseRead)
async def get_case(case_id: str, hub: HubDep, caller: Staff) -> CaseRead:
    """Status, assignments with their deadlines and cards, and the timeline."""
    return read(hub, await hub.cases.get(case_id), caller)


@router.get("/cases", response_model=CasePage)
async def list_cases(
    hub: HubDep,
    caller: Staff,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    severity: Annotated[list[Severity] | None, Query()] = None,
    area: Annotated[str | None, Query(max_length=40, description="code prefix")] = None,
    force: Annotated[str | None, Query(max_length=64, description="agency id")] = None,
    overdue: bool | None = None,
    registered_from: datetime | None = None,
    registered_to: datetime | None = None,
    cursor: Annotated[str | None, Query(pattern=CASE_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CasePage:
    where = case_filter(
        status=status,
        category=category,
        severity=severity,
        area=area,
        force=force,
        overdue=overdue,
        registered_from=registered_from,
        registered_to=registered_to,
    )
    page = await query_cases(hub.cases, where, after=cursor, limit=limit + 1)
    items = [
        CaseSummary(
            **c.model_dump(include=set(CaseSummary.model_fields) - {"overdue", "forces"}),
            overdue=c.overdue,
            forces=sorted({a.agency for a in c.assignments}),
        )
        for c in page[:limit]
    ]
    return CasePage(items=items, next_cursor=page[limit - 1].id if len(page) > limit else None)


@router.post("/cases/{case_id}/assessment", response_model=CaseRead)
async def assess(case_id: str, body: AssessmentIn, hub: HubDep, caller: Handler) -> CaseRead:
    """研判 by the rule table, or the officer's own plan with a reason."""
    override = None
    if body.override is not None:
        override = loop.Override(
            tasks=body.override.tasks, reason=body.override.reason, leader=body.override.leader
        )
    case = await handlers.assess_case(
        hub, case_id=case_id, officer=officer(caller), override=override
    )
    return read(hub, case, caller)


@router.post("/cases/{case_id}/dispatch", response_model=CaseRead)
async def dispatch(case_id: str, hub: HubDep, caller: Handler) -> CaseRead:
    """流转交办: one assignment per planned force, sent through the exchange."""
    return read(
        hub, await handlers.dispatch_case(hub, case_id=case_id, officer=officer(caller)), caller
    )


@router.post("/cases/{case_id}/verification", response_model=CaseRead)
async def verify(case_id: str, body: VerificationIn, hub: HubDep, caller: Handler) -> CaseRead:
    """核查: accept the forces' results, or send the case back to assessment."""
    case = await handlers.verify_case(
        hub, case_id=case_id, officer=officer(caller), passed=body.passed, note=body.note
    )
    return read(hub, case, caller)


@router.post("/cases/{case_id}/closure", response_model=CaseRead)
async def close(case_id: str, body: ClosureIn, hub: HubDep, caller: Handler) -> CaseRead:
    """结案归档: close a verified case and tell every force."""
    case = await handlers.close_case(
        hub, case_id=case_id, officer=officer(caller), summary=body.summary, outcome=body.outcome
    )
    return read(hub, case, caller)


@router.post("/cases/{case_id}/follow-up", response_model=CaseRead)
async def follow_up(case_id: str, body: FollowUpIn, hub: HubDep, caller: Handler) -> CaseRead:
    """回访: the citizen's satisfaction; below 3 reopens the case."""
    case = await handlers.follow_up_case(
        hub,
        case_id=case_id,
        officer=officer(caller),
        satisfaction=body.satisfaction,
        comment=body.comment,
    )
    return read(hub, case, caller)
