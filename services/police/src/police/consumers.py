"""Kafka subscriptions of the police service: events from ``xchg.in.<police>`` become
incidents or notes on them, each applied once (the event id is kept on the incident in the same
commit). An event the station's rules refuse is rejected to the DLQ with the reason.

- ``case.transferred.v1`` from the hub (流转): a new incident, answered to its sender;
- ``case.accepted/progressed/feedback.v1`` from the grid, answering a follow-up (回访) the
  station asked for: a line on the incident's record (its ``case_id`` is the incident id), and
  the grid's result relayed to the hub when the incident is a hub order;
- ``case.supervised/escalated/closed.v1`` from the hub about its order: a line on the record.
"""

from __future__ import annotations

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseEscalated,
    CaseFeedback,
    CaseProgressed,
    CaseSupervised,
    CaseTransferred,
)
from fengqiao.contracts.orders import SENDER_NOTICES, notice_line, order_id
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler, Wiring
from fengqiao.runtime import Runtime
from police.adapters.store import all_of
from police.bootstrap import station_of
from police.domain.errors import DomainError
from police.domain.incident import Incident
from police.domain.linkage import grid_answered
from police.domain.reception import from_transfer
from police.handlers import Station


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


def on_grid_answer(station: Station) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        answer = envelope.payload()
        assert isinstance(answer, CaseAccepted | CaseProgressed | CaseFeedback)
        agency = envelope.sender

        def change(current: Incident | None) -> tuple[Incident, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no incident {answer.case_id} asked {agency} to follow up")
            try:
                notices = grid_answered(current, answer, agency=agency, now=now_utc())
            except DomainError as error:
                raise Rejected(str(error)) from None
            return current, station.outgoing(current, notices, envelope.id)

        await apply_once(station.incidents, answer.case_id, envelope.id, change)

    return handle


def on_sender_notice(station: Station) -> EventHandler:
    """督办 / 提级督办 / 结案 from the hub about the case it ordered: a line on each incident it
    concerns (the station's order may have been returned: then there is nothing to note)."""

    async def handle(envelope: Envelope) -> None:
        notice = envelope.payload()
        assert isinstance(notice, CaseSupervised | CaseEscalated | CaseClosed)
        agency = envelope.sender
        where = {"hub.case_id": notice.case_id, "hub.sender": agency}
        async for incident in all_of(station.incidents, where):
            if incident.hub is None or not incident.hub.concerns(notice, sender=agency):
                continue

            def change(current: Incident | None) -> tuple[Incident, list[OutboxMessage]]:
                assert current is not None  # incidents are never deleted
                at = max(now_utc(), current.history[-1].at)
                current.log(at=at, actor=agency, note=notice_line(notice))
                return current, []

            await apply_once(station.incidents, incident.id, envelope.id, change)

    return handle


def wiring(runtime: Runtime) -> Wiring:
    station = station_of(runtime)
    grid = on_grid_answer(station)
    return Wiring(
        handlers={
            "case.transferred.v1": on_transferred(station),
            "case.accepted.v1": grid,
            "case.progressed.v1": grid,
            "case.feedback.v1": grid,
            **dict.fromkeys(SENDER_NOTICES, on_sender_notice(station)),
        },
        outbox=[station.incidents],
    )
