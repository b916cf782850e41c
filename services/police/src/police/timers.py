"""What the station starts with the process: its demo roster of units, seeded once."""

from __future__ import annotations

from fengqiao.messaging.lifecycle import until_done
from fengqiao.runtime import Runtime
from police.adapters import roster
from police.bootstrap import station_of


async def seed_units(runtime: Runtime) -> None:
    """At start: the demo roster, unless switched off (a real station loads its own); in the
    background, so the station starts even while its store is still coming up."""
    station = station_of(runtime)
    if station.settings.seed_demo_units:
        seeding = until_done("demo units", lambda: roster.seed(station.units))
        runtime.background(seeding, name="police-seed-units")
