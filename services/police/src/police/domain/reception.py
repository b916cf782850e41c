"""接警: an incident is registered the moment it reaches the station: a 110 call, a walk-in,
a patrol's find, or a hub order (流转). Its circle starts from the priority's own; dispatch may
widen it by the distance of the nearest free unit (see ``response``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from fengqiao.contracts.codes import Category, Severity
from fengqiao.contracts.events import CaseTransferred, Location
from fengqiao.contracts.orders import HUB, Order
from police.domain.incident import Entry, Incident, Source
from police.domain.incident import IncidentStatus as S
from police.domain.response import TARGET, Priority, transfer_priority


class Report(BaseModel):
    """What the duty desk (接警台) knows of a 110 call, a walk-in or a patrol's find."""

    source: Source
    priority: Priority
    category: Category
    severity: Severity = Severity.GENERAL
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    location: Location

    @field_validator("source")
    @classmethod
    def _not_a_hub_order(cls, source: Source) -> Source:
        if source is Source.HUB:
            raise ValueError("a hub order enters through from_transfer, with its ids and clocks")
        return source


def from_report(incident_id: str, report: Report, *, by: str, now: datetime) -> Incident:
    """接警: the desk registers a 110 call, a walk-in or a patrol's find at once."""
    return _new(
        incident_id,
        source=report.source,
        priority=report.priority,
        fields=report.model_dump(exclude={"source", "priority"}),
        by=by,
        now=now,
    )


def from_transfer(
    incident_id: str,
    order: CaseTransferred,
    *,
    now: datetime,
    sender: str = HUB,
    priority: Priority | None = None,
) -> Incident:
    """A hub order (流转 / 发令) becomes an incident; ``priority`` overrides the severity table."""
    incident = _new(
        incident_id,
        source=Source.HUB,
        priority=priority or transfer_priority(order.category, order.severity),
        fields={
            "category": order.category,
            "severity": order.severity,
            "title": order.title,
            "description": order.summary,
            "location": order.location,
        },
        by=sender,
        now=now,
    )
    incident.hub = Order.of(order, sender=sender)
    return incident


def _new(
    incident_id: str,
    *,
    source: Source,
    priority: Priority,
    fields: dict[str, object],
    by: str,
    now: datetime,
) -> Incident:
    incident = Incident.model_validate(
        {
            "id": incident_id,
            "source": source,
            "priority": priority,
            "level": TARGET[priority],
            "received_at": now,
            **fields,
        }
    )
    incident.history.append(Entry(at=now, status=S.REPORTED, actor=by, note=source.zh))
    return incident
