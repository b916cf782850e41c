"""The office's mediations (人民调解): keyword-only async commands that load a mediation, apply
one step of the domain, and save it with the notices the step owes the hub, in one commit."""

from __future__ import annotations

import uuid
from datetime import datetime

from fengqiao.clock import now_utc
from fengqiao.contracts.orders import Notice
from justice.bootstrap import Office
from justice.domain import steps
from justice.domain.choice import choose, override
from justice.domain.mediation import Mediation, Session
from justice.domain.reception import Application, from_application
from justice.domain.workload import open_cases
from justice.handlers.changes import change


async def current_load(office: Office) -> dict[str, int]:
    """在办件数 by mediator, from the open mediations in the store."""
    return open_cases(await office.stores.open_mediations())


async def register(office: Office, *, application: Application, by: str) -> Mediation:
    """当事人申请调解: a walk-in, the office's own mediation (no hub order)."""
    mediation = from_application(uuid.uuid4().hex[:20], application, by=by, now=now_utc())
    return await office.stores.mediations.add(mediation)


async def accept(
    office: Office,
    *,
    mediation_id: str,
    by: str,
    mediator_id: str | None = None,
    reason: str | None = None,
) -> Mediation:
    """受理: committee and mediator chosen by field, place and load, or the named mediator."""
    # The load is read once: a choice racing another may seat one case over a capacity, which
    # the office can rebalance; it never loses a mediation.
    load = await current_load(office)

    def step(m: Mediation) -> list[Notice]:
        if mediator_id is None:
            chosen = choose(
                office.directory, field=m.field, location=m.location, load=load, unit=m.unit
            )
        else:
            chosen = override(
                office.directory,
                mediator_id=mediator_id,
                reason=reason or "",
                field=m.field,
                location=m.location,
                load=load,
                unit=m.unit,
            )
        return steps.accept(m, chosen, by=by, now=now_utc())

    return await change(office, office.stores.mediations, mediation_id, step)


async def return_to_hub(
    office: Office, *, mediation_id: str, reason_code: str, reason: str, by: str
) -> Mediation:
    """退回 a hub order that is not for people's mediation, before it is accepted."""

    def step(m: Mediation) -> list[Notice]:
        return steps.return_to_hub(m, reason_code=reason_code, reason=reason, by=by, now=now_utc())

    return await change(office, office.stores.mediations, mediation_id, step)


async def hold_session(
    office: Office,
    *,
    mediation_id: str,
    at: datetime | None,
    place: str,
    attendees: list[str],
    notes: str,
    by: str,
) -> Mediation:
    """调解记录: a meeting with the parties, held ``at`` (default now); the hub hears of it."""

    def step(m: Mediation) -> list[Notice]:
        now = now_utc()
        session = Session(place=place, attendees=attendees, notes=notes, at=at or now)
        return steps.hold_session(m, session, by=by, now=now)

    return await change(office, office.stores.mediations, mediation_id, step)


async def fail(office: Office, *, mediation_id: str, reason: str, by: str) -> Mediation:
    """调解不成 (终止调解) with the reason; the hub gets it as feedback."""

    def step(m: Mediation) -> list[Notice]:
        return steps.fail(m, reason=reason, by=by, now=now_utc())

    return await change(office, office.stores.mediations, mediation_id, step)
