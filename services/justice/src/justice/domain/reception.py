"""收案: a mediation is registered when a hub order (流转) arrives or a party applies in person
(当事人申请). The dispute's field, which decides the committee, follows its category."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from fengqiao.contracts.codes import Action, Category, Severity
from fengqiao.contracts.events import CaseTransferred, Location, Party
from fengqiao.contracts.orders import HUB, Notice, Order
from justice.domain.errors import InvalidRequest
from justice.domain.fields import CommitteeField, field_for
from justice.domain.mediation import Entry, Mediation, Source
from justice.domain.mediation import MediationStatus as S

ACTIONS = frozenset({Action.MEDIATE})


class UnsupportedAction(InvalidRequest):
    """The order asks for something other than people's mediation: decline it (退回)."""


class Application(BaseModel):
    """调解申请: what a party who walks into the office asks to have mediated."""

    category: Category
    field: CommitteeField | None = Field(default=None, description="else from the category")
    severity: Severity = Severity.GENERAL
    title: str = Field(min_length=1, max_length=200)
    facts: str = Field(default="", max_length=10_000)
    location: Location
    parties: list[Party] = Field(min_length=1, max_length=200)
    unit: str | None = Field(default=None, description="a committee the party asked for")


def from_order(
    mediation_id: str, order: CaseTransferred, *, now: datetime, sender: str = HUB
) -> Mediation:
    """收案: a hub order to mediate becomes a mediation; other actions are UnsupportedAction."""
    if order.action not in ACTIONS:
        raise UnsupportedAction(
            f"the justice office mediates; it does not take {order.action.value} orders"
        )
    mediation = Mediation(
        id=mediation_id,
        source=Source.HUB,
        category=order.category,
        field=field_for(order.category),
        severity=order.severity,
        title=order.title or order.category.zh,
        summary=order.summary,
        location=order.location,
        parties=list(order.parties),
        unit=order.unit,
        hub=Order.of(order, sender=sender),
        received_at=now,
    )
    mediation.history.append(Entry(at=now, status=S.RECEIVED, actor=sender, note=Source.HUB.zh))
    return mediation


def from_application(
    mediation_id: str, application: Application, *, by: str, now: datetime
) -> Mediation:
    """当事人申请调解: the office's own case; it owes the hub nothing."""
    mediation = Mediation(
        id=mediation_id,
        source=Source.WALK_IN,
        category=application.category,
        field=application.field or field_for(application.category),
        severity=application.severity,
        title=application.title,
        summary=application.facts,
        location=application.location,
        parties=list(application.parties),
        unit=application.unit,
        received_at=now,
    )
    mediation.history.append(Entry(at=now, status=S.RECEIVED, actor=by, note=Source.WALK_IN.zh))
    return mediation


def decline(
    order: CaseTransferred, *, now: datetime, sender: str = HUB, reason: str | None = None
) -> list[Notice]:
    """退回 an order the office does not take (e.g. UnsupportedAction), without registering it."""
    why = reason or f"司法所不承办“{order.action.zh}”事项，请重新研判"
    hub = Order.of(order, sender=sender)
    return [hub.returned(reason_code="unsupported_action", reason=why, at=now)]
