"""The bodies of the station's steps on an incident, and incidents as the desk's inbox shows
them with their clocks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import Category, Outcome, Severity
from fengqiao.contracts.events import Party
from fengqiao.contracts.orders import Order
from police.domain.incident import Incident, IncidentStatus, Source
from police.domain.response import Priority, ResponseLevel, Verdict
from police.domain.units import UnitKind


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AcceptanceIn(_In):
    handler: str | None = Field(
        default=None, min_length=1, max_length=100, description="default: the caller's name"
    )


class DispatchIn(_In):
    unit_id: str | None = Field(default=None, max_length=64, description="omit: the nearest")
    kinds: list[UnitKind] | None = Field(default=None, description="only these kinds of unit")


class DisposalIn(_In):
    summary: str = Field(min_length=1, max_length=10_000)
    grid_follow_up: bool = Field(default=True, description="ask the grid to visit the parties")
    parties: list[Party] = Field(default_factory=list, max_length=200)


class InvestigationIn(_In):
    note: str = Field(min_length=1, max_length=5000)


class ClosureIn(_In):
    outcome: Outcome
    summary: str = Field(min_length=1, max_length=10_000)


class ReturnIn(_In):
    reason_code: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)


class Clocks(BaseModel):
    """The clocks the desk works against: the circle's, and the hub's for its orders."""

    respond_by: datetime | None = Field(description="receipt + the circle; None: no circle")
    verdict: Verdict | None
    accept_by: datetime | None = None
    due_at: datetime | None = None


class IncidentSummary(BaseModel):
    id: str
    title: str
    source: Source
    category: Category
    severity: Severity
    status: IncidentStatus
    priority: Priority
    level: ResponseLevel | None
    received_at: datetime
    unit_id: str | None
    hub: Order | None
    clocks: Clocks


class IncidentRead(Incident):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: Clocks


def clocks(incident: Incident, now: datetime) -> Clocks:
    response = incident.response
    level = response.level
    return Clocks(
        respond_by=None if level is None else incident.received_at + level.limit,
        verdict=response.verdict(now),
        accept_by=incident.hub.accept_by if incident.hub else None,
        due_at=incident.hub.due_at if incident.hub else None,
    )


class IncidentPage(BaseModel):
    items: list[IncidentSummary]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")
