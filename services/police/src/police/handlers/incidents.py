"""The station's steps on an incident: load it, apply one step of the domain, and save it with
the notices the step owes the hub and the grid, in one commit.

Dispatch also changes a unit. The unit is saved first, guarded by its version, so two
dispatchers racing for one unit cannot both send it; if the incident then cannot be saved the
unit is released again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from fengqiao.clock import now_utc
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import Party
from fengqiao.contracts.orders import Notice
from fengqiao.storage import ConcurrencyError, retry_on_conflict
from police.adapters.store import all_of
from police.bootstrap import Station
from police.domain import handling
from police.domain.incident import Incident
from police.domain.reception import Report, from_report
from police.domain.units import UnitKind, UnitStatus
from police.handlers.units import move_unit

Step = Callable[[Incident], Sequence[Notice] | None]


async def change(station: Station, incident_id: str, step: Step, *, attempts: int = 10) -> Incident:
    """Apply ``step`` to the latest state; on a concurrent change, reload and judge it again.
    A refused step raises before anything is saved."""

    async def attempt() -> Incident:
        incident = await station.incidents.get(incident_id)
        notices = list(step(incident) or ())
        return await station.incidents.save(incident, station.outgoing(incident, notices, None))

    return await retry_on_conflict(attempt, what=f"incident {incident_id}", attempts=attempts)


async def register(station: Station, *, report: Report, by: str) -> Incident:
    """接警 at the desk: a 110 call, a walk-in or a patrol's find."""
    incident = from_report(uuid.uuid4().hex[:20], report, by=by, now=now_utc())
    return await station.incidents.add(incident)


async def accept(station: Station, *, incident_id: str, handler: str) -> Incident:
    """签收 a hub order; the hub hears of it."""
    return await change(
        station, incident_id, lambda i: handling.accept(i, handler=handler, now=now_utc())
    )


async def return_to_hub(
    station: Station, *, incident_id: str, reason_code: str, reason: str, by: str
) -> Incident:
    """退回 a hub order that is not police business, before it is accepted."""
    return await change(
        station,
        incident_id,
        lambda i: handling.return_to_hub(
            i, reason_code=reason_code, reason=reason, by=by, now=now_utc()
        ),
    )


async def dispatch(
    station: Station,
    *,
    incident_id: str,
    by: str,
    unit_id: str | None,
    kinds: Sequence[UnitKind] | None,
    attempts: int = 10,
) -> Incident:
    """派警: the nearest free unit (or the named one) is taken, then the incident records it."""

    async def attempt() -> Incident:
        incident = await station.incidents.get(incident_id)
        roster = [u async for u in all_of(station.units)]
        notices = handling.dispatch(
            incident, roster, by=by, now=now_utc(), unit_id=unit_id, kinds=kinds
        )
        sent = next(u for u in roster if u.id == incident.unit_id)
        # A unit taken (or moved) by someone else meanwhile fails this save: judged again on
        # the fresh roster.
        await station.units.save(sent)
        try:
            return await station.incidents.save(incident, station.outgoing(incident, notices, None))
        except ConcurrencyError:
            await move_unit(station, sent.id, UnitStatus.AVAILABLE)
            raise

    what = f"incident {incident_id} or its units"
    return await retry_on_conflict(attempt, what=what, attempts=attempts)


async def arrive(station: Station, *, incident_id: str, by: str) -> Incident:
    """到场: stops the circle's clock; the unit is on scene."""

    def step(incident: Incident) -> list[Notice] | None:
        return handling.arrive(incident, by=by, now=now_utc())

    return await step_with_unit(station, incident_id, step, UnitStatus.ON_SCENE)


async def dispose(
    station: Station,
    *,
    incident_id: str,
    by: str,
    summary: str,
    parties: list[Party],
    grid_follow_up: bool,
) -> Incident:
    """现场处置: what was done; the grid is asked to follow up unless declined; the unit is
    free again."""

    def step(incident: Incident) -> list[Notice] | None:
        return handling.dispose(
            incident,
            by=by,
            now=now_utc(),
            summary=summary,
            parties=parties,
            grid_follow_up=grid_follow_up,
            linkage=station.linkage,
        )

    return await step_with_unit(station, incident_id, step, UnitStatus.AVAILABLE)


async def investigate(station: Station, *, incident_id: str, by: str, note: str) -> Incident:
    """转入调查: the matter needs inquiries after the scene."""
    return await change(
        station, incident_id, lambda i: handling.investigate(i, by=by, now=now_utc(), note=note)
    )


async def close(
    station: Station, *, incident_id: str, by: str, outcome: Outcome, summary: str
) -> Incident:
    """办结: the hub gets its feedback (反馈)."""
    return await change(
        station,
        incident_id,
        lambda i: handling.close(i, by=by, now=now_utc(), outcome=outcome, summary=summary),
    )


async def step_with_unit(
    station: Station, incident_id: str, step: Step, unit_now: UnitStatus
) -> Incident:
    """A step that moves the incident's unit too: on scene at arrival, free after disposal."""
    incident = await change(station, incident_id, step)
    if incident.unit_id is not None:
        await move_unit(station, incident.unit_id, unit_now)
    return incident
