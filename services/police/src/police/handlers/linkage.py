"""The grid's answers to a follow-up (回访) the station asked for: ``case.accepted/progressed/
feedback.v1`` become a line on the incident's record (its ``case_id`` is the incident id), and
the grid's result is relayed to the hub when the incident is a hub order. Applied once (the
event id is kept on the incident in the same commit); an answer the rules refuse is rejected to
the DLQ with the reason."""

from __future__ import annotations

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseAccepted, CaseFeedback, CaseProgressed
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from police.bootstrap import Station
from police.domain.errors import DomainError
from police.domain.incident import Incident
from police.domain.linkage import grid_answered


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
