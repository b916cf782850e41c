"""The station's service layer: async functions that load an incident, apply one step of the
domain, and save it with the notices the step owes the hub and the grid, in one commit.

Dispatch also changes a unit. The unit is saved first, guarded by its version, so two
dispatchers racing for one unit cannot both send it; if the incident then cannot be saved the
unit is released again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fengqiao.clock import now_utc
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.storage import ConcurrencyError, Repository, retry_on_conflict
from police.adapters.store import all_of
from police.domain import handling
from police.domain.errors import DomainError
from police.domain.incident import Incident
from police.domain.linkage import Linkage
from police.domain.reception import Report, from_report
from police.domain.units import Unit, UnitKind, UnitStatus
from police.settings import PoliceSettings

log = logging.getLogger(__name__)
Step = Callable[[Incident], Sequence[Notice] | None]


@dataclass
class Station:
    """What every handler needs: the store, the station's agency id and its settings."""

    incidents: Repository[Incident]
    units: Repository[Unit]
    agency: str
    settings: PoliceSettings

    @property
    def linkage(self) -> Linkage:
        s = self.settings
        return Linkage(
            agency=s.grid_agency,
            accept_within=s.grid_accept_within,
            visit_within=s.grid_visit_within,
        )

    def outgoing(
        self, incident: Incident, notices: Sequence[Notice], cause: str | None
    ) -> list[OutboxMessage]:
        return notices_out(self.agency, notices, about=incident.id, cause=cause)


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


async def move_unit(station: Station, unit_id: str, to: UnitStatus, *, attempts: int = 10) -> None:
    """Follow the incident with its unit (on scene, free again). The incident is the record:
    a unit the roster moved elsewhere meanwhile is left where it is."""

    async def attempt() -> None:
        unit = await station.units.find(unit_id)
        if unit is None or unit.status is to:
            return
        try:
            unit.move(to)
        except DomainError as error:
            log.warning("unit %s not moved to %s: %s", unit_id, to.value, error)
            return
        await station.units.save(unit)

    try:
        await retry_on_conflict(attempt, what=f"unit {unit_id}", attempts=attempts)
    except ConcurrencyError:
        log.warning("unit %s kept changing; not moved to %s", unit_id, to.value)


async def step_with_unit(
    station: Station, incident_id: str, step: Step, unit_now: UnitStatus
) -> Incident:
    """A step that moves the incident's unit too: on scene at arrival, free after disposal."""
    incident = await change(station, incident_id, step)
    if incident.unit_id is not None:
        await move_unit(station, incident.unit_id, unit_now)
    return incident
