"""The station's context, the ``Station`` every handler takes, built once per process from its
settings and runtime; and the demo roster it starts with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.runtime import Runtime
from fengqiao.storage import Repository
from police.adapters.store import incident_repository, unit_repository
from police.domain.incident import Incident
from police.domain.linkage import Linkage
from police.domain.units import Unit
from police.settings import PoliceSettings


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
