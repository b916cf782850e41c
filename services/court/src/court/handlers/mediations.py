"""诉前调解 commands: accept (numbered 诉前调, a mediator chosen), return, sessions, mediated
(optionally confirmed at once, numbered 民特), failed, and filed for trial (numbered 民初)."""

from __future__ import annotations

from datetime import date

from court.bootstrap import Tribunal
from court.domain import prelitigation_steps as steps
from court.domain.case_numbers import CaseKind
from court.domain.prelitigation import PreLitigationMediation
from court.domain.returns import ReturnReason
from court.handlers.matters import change, numbered, this_year
from fengqiao.contracts.orders import Notice

Mediation = PreLitigationMediation


async def accept(
    tribunal: Tribunal, *, mediation_id: str, by: str, mediator_id: str | None
) -> Mediation:
    """受理: a 诉前调 number and the named mediator, or the least loaded one."""
    roster = await tribunal.stores.roster()
    now = tribunal.clock()
    limit = tribunal.settings.mediation_limit

    def step(mediation: Mediation, seq: int) -> list[Notice]:
        # A fresh copy each time: the domain adds the case to the chosen mediator's load.
        mediators = [m.model_copy() for m in roster]
        return steps.accept(
            mediation, mediators, seq=seq, by=by, now=now, mediator_id=mediator_id, time_limit=limit
        )

    repo = tribunal.stores.mediations
    return await numbered(
        tribunal, repo, mediation_id, CaseKind.PRE_LITIGATION, this_year(now), step
    )


async def give_back(
    tribunal: Tribunal, *, mediation_id: str, reason: ReturnReason, detail: str | None, by: str
) -> Mediation:
    """退回 to the hub, before acceptance."""
    now = tribunal.clock()
    return await change(
        tribunal,
        tribunal.stores.mediations,
        mediation_id,
        lambda m: steps.return_order(m, reason=reason, by=by, now=now, detail=detail),
    )


async def record_session(tribunal: Tribunal, *, mediation_id: str, note: str, by: str) -> Mediation:
    """调解记录: a session with the parties."""
    now = tribunal.clock()
    return await change(
        tribunal,
        tribunal.stores.mediations,
        mediation_id,
        lambda m: steps.record_session(m, note=note, by=by, now=now),
    )


async def mediated(
    tribunal: Tribunal, *, mediation_id: str, terms: str, confirmed: bool, by: str
) -> Mediation:
    """调解成功: the terms; confirmed at once (当场司法确认) takes a 民特 ruling number."""
    now = tribunal.clock()
    repo = tribunal.stores.mediations
    if not confirmed:
        return await change(
            tribunal, repo, mediation_id, lambda m: steps.mediated(m, terms=terms, by=by, now=now)
        )

    def step(mediation: Mediation, seq: int) -> list[Notice]:
        return steps.mediated(
            mediation, terms=terms, by=by, now=now, confirmed=True, ruling_seq=seq
        )

    return await numbered(
        tribunal, repo, mediation_id, CaseKind.CIVIL_SPECIAL, this_year(now), step
    )


async def failed(tribunal: Tribunal, *, mediation_id: str, reason: str, by: str) -> Mediation:
    """调解不成: the hub hears why."""
    now = tribunal.clock()
    return await change(
        tribunal,
        tribunal.stores.mediations,
        mediation_id,
        lambda m: steps.failed(m, reason=reason, by=by, now=now),
    )


async def file_case(tribunal: Tribunal, *, mediation_id: str, filed_on: date, by: str) -> Mediation:
    """立案: a 民初 number of the filing date's year; the hub gets it."""
    now = tribunal.clock()

    def step(mediation: Mediation, seq: int) -> list[Notice]:
        return steps.file_case(mediation, seq=seq, filed_on=filed_on, by=by, now=now)

    repo = tribunal.stores.mediations
    kind = CaseKind.CIVIL_FIRST_INSTANCE
    return await numbered(tribunal, repo, mediation_id, kind, filed_on.year, step)
