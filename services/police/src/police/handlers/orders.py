"""What the hub orders (流转) and says about its orders, each event applied once (the event id
is kept on the incident in the same commit):

- ``case.transferred.v1``: a new incident, answered to its sender;
- ``case.supervised/escalated/closed.v1`` about its order: a line on the record.
"""

from __future__ import annotations

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseClosed, CaseEscalated, CaseSupervised, CaseTransferred
from fengqiao.contracts.orders import notice_line, order_id
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.notices import records_noticed
from fengqiao.messaging.pump import EventHandler
from police.bootstrap import Station
from police.domain.incident import Incident
from police.domain.reception import from_transfer


def on_transferred(station: Station) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        order = envelope.payload()
        assert isinstance(order, CaseTransferred)
        agency = envelope.sender
        incident_id = order_id(agency, order.assignment_id)

        def change(current: Incident | None) -> tuple[Incident, list[OutboxMessage]]:
            if current is not None:
                return current, []  # the same order sent again under a new event id
            incident = from_transfer(incident_id, order, now=now_utc(), sender=agency)
            return incident, []

        await apply_once(station.incidents, incident_id, envelope.id, change)

    return handle


def on_sender_notice(station: Station) -> EventHandler:
    """督办 / 提级督办 / 结案 from the hub about the case it ordered: a line on each incident it
    concerns (the station's order may have been returned: then there is nothing to note)."""

    async def handle(envelope: Envelope) -> None:
        notice = envelope.payload()
        assert isinstance(notice, CaseSupervised | CaseEscalated | CaseClosed)
        agency = envelope.sender
        where = {"hub.case_id": notice.case_id, "hub.sender": agency}
        for incident in await records_noticed(
            station.incidents, notice, sender=agency, where=where
        ):
            if incident.hub is None or not incident.hub.concerns(notice, sender=agency):
                continue

            def change(current: Incident | None) -> tuple[Incident, list[OutboxMessage]]:
                assert current is not None  # incidents are never deleted
                at = max(now_utc(), current.history[-1].at)
                current.log(at=at, actor=agency, note=notice_line(notice))
                return current, []

            await apply_once(station.incidents, incident.id, envelope.id, change)

    return handle
