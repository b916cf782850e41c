"""The grid's context, the ``Grid`` every handler takes, built once per process from its
settings and runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fengqiao.calendar import WorkCalendar
from fengqiao.clock import now_utc
from fengqiao.contracts import new_envelope, topics
from fengqiao.contracts.registry import EventData
from fengqiao.messaging import OutboxMessage, outgoing
from fengqiao.runtime import Runtime
from grid.adapters.store import Stores
from grid.domain.people import WorkingDays
from grid.domain.roster import Roster, load_roster
from grid.domain.territory import Territory, load_territory
from grid.settings import GridSettings


@dataclass
class Grid:
    """What every handler needs: the stores, the territory and roster, the grid's agency id."""

    stores: Stores
    territory: Territory
    roster: Roster
    agency: str
    settings: GridSettings
    # Replaceable so tests can pin the hour the duty rules see.
    clock: Callable[[], datetime] = field(default=now_utc)
    # Duty shifts follow the Chinese working-day calendar (调休 weekends, public holidays).
    calendar: WorkingDays = field(default_factory=WorkCalendar.default)

    def to(
        self, recipient: str, data: EventData, *, subject: str, cause: str | None
    ) -> OutboxMessage:
        """An event from this agency to ``recipient``, through the exchange."""
        return outgoing(
            topics.outbound(self.agency),
            new_envelope(
                data,
                source=f"/agencies/{self.agency}",
                subject=subject,
                recipient=recipient,
                correlationid=subject,
                causationid=cause,
            ),
        )


def grid_of(runtime: Runtime) -> Grid:
    grid = runtime.state.get("grid")
    if isinstance(grid, Grid):
        return grid
    grid = Grid(
        stores=Stores(runtime.db),
        territory=load_territory(),
        roster=load_roster(),
        agency=runtime.settings.agency_id,
        settings=GridSettings(),
    )
    runtime.state["grid"] = grid
    return grid
