"""The incident (警情): one matter the station answers, from a hub order or its own intake.

reported → dispatched → on scene → disposed → investigating → closed; an incident disposed
on the spot (当场处置完毕) goes from disposed straight to closed. A hub order not yet taken on
may be returned (退回) to the hub instead. ``reception`` registers incidents; ``handling``
moves them and says what each step owes the hub and the grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import Field

from fengqiao import workflow
from fengqiao.contracts.codes import Category, CodeList, Outcome, Severity
from fengqiao.contracts.events import Location
from fengqiao.contracts.orders import Order
from police.domain.errors import IllegalTransition, TimeOutOfOrder
from police.domain.response import Priority, Response, ResponseLevel


class IncidentStatus(CodeList):
    REPORTED = ("reported", "已接警", "reported")
    DISPATCHED = ("dispatched", "已派警", "dispatched")
    ON_SCENE = ("on_scene", "已到场", "on scene")
    DISPOSED = ("disposed", "已处置", "disposed")
    INVESTIGATING = ("investigating", "调查中", "under investigation")
    CLOSED = ("closed", "已办结", "closed")
    RETURNED = ("returned", "已退回", "returned to the hub")


S = IncidentStatus
ALLOWED: dict[IncidentStatus, frozenset[IncidentStatus]] = {
    S.REPORTED: frozenset({S.DISPATCHED, S.RETURNED}),
    S.DISPATCHED: frozenset({S.ON_SCENE}),
    S.ON_SCENE: frozenset({S.DISPOSED}),
    S.DISPOSED: frozenset({S.INVESTIGATING, S.CLOSED}),
    S.INVESTIGATING: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.RETURNED: frozenset(),
}


class Source(CodeList):
    HUB = ("hub", "综治中心转办", "hub order")
    CALL_110 = ("call_110", "110接警", "110 call")
    WALK_IN = ("walk_in", "来所报警", "walk-in report")
    PATROL = ("patrol", "巡逻发现", "found on patrol")


class Entry(workflow.Entry[IncidentStatus]):
    """One step on the incident's record (警情流水): when, who, and what happened."""


class Incident(workflow.Workflow[IncidentStatus]):
    illegal_transition = IllegalTransition
    time_out_of_order = TimeOutOfOrder
    entry_type = Entry

    source: Source
    priority: Priority
    level: ResponseLevel | None = Field(
        description="the circle held to: the priority's until dispatch, then widened by distance"
    )
    category: Category
    severity: Severity
    title: str
    description: str
    location: Location
    hub: Order | None = None
    status: IncidentStatus = S.REPORTED
    received_at: datetime
    accepted_at: datetime | None = None
    handler: str | None = None
    dispatched_at: datetime | None = None
    unit_id: str | None = None
    nearest_m: float | None = Field(default=None, description="nearest free unit at dispatch")
    arrived_at: datetime | None = None
    disposed_at: datetime | None = None
    disposal: str | None = Field(default=None, description="what was done at the scene")
    investigation_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: Outcome | None = None
    summary: str | None = None
    grid_follow_up: str | None = Field(default=None, description="assignment id sent to grid")
    # Its own Entry, so the API's schema keeps its name; a list is invariant, hence the ignore.
    history: list[Entry] = Field(default_factory=list)  # type: ignore[assignment]

    def table(self) -> Mapping[IncidentStatus, frozenset[IncidentStatus]]:
        return ALLOWED

    def named(self) -> str:
        return f"incident {self.id}"

    def began_at(self) -> datetime:
        return self.received_at

    @property
    def response(self) -> Response:
        """Its times for the circle statistics; a returned order is not the station's response."""
        level = None if self.status is S.RETURNED else self.level
        return Response(
            level, self.received_at, self.dispatched_at, self.arrived_at, self.disposed_at
        )
