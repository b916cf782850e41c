"""Build the station's dependencies once per process from its settings and runtime."""

from __future__ import annotations

from fengqiao.messaging.lifecycle import until_done
from fengqiao.runtime import Runtime
from police.adapters import roster
from police.adapters.store import incident_repository, unit_repository
from police.handlers import Station
from police.settings import PoliceSettings


def station_of(runtime: Runtime) -> Station:
    station = runtime.state.get("station")
    if isinstance(station, Station):
        return station
    station = Station(
        incidents=incident_repository(runtime.db),
        units=unit_repository(runtime.db),
        agency=runtime.settings.agency_id,
        settings=PoliceSettings(),
    )
    runtime.state["station"] = station
    return station


async def seed_units(runtime: Runtime) -> None:
    """At start: the demo roster, unless switched off (a real station loads its own); in the
    background, so the station starts even while its store is still coming up."""
    station = station_of(runtime)
    if station.settings.seed_demo_units:
        seeding = until_done("demo units", lambda: roster.seed(station.units))
        runtime.background(seeding, name="police-seed-units")
