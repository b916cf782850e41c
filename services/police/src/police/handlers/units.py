"""The station's units following their incidents: on scene at arrival, free after disposal."""

from __future__ import annotations

import logging

from fengqiao.storage import ConcurrencyError, retry_on_conflict
from police.bootstrap import Station
from police.domain.errors import DomainError
from police.domain.units import UnitStatus

log = logging.getLogger(__name__)


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
