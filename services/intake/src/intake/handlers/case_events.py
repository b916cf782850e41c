"""The hub's handlers of the events that reach a case from ``xchg.in.intake``: each becomes a
step on the case, applied once (the event id is kept on the case in the same commit). An event
the case's rules refuse — an unknown case or assignment, a step out of order, a malformed ID
number — is rejected to the DLQ with the reason; the offset moves on and nothing is
half-written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope
from fengqiao.contracts.codes import Flag
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseRegistered,
    CaseReported,
    CaseReturned,
    ExchangeReceipt,
    ExchangeRejected,
)
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from fengqiao.security import validate_id_number
from intake.bootstrap import Hub
from intake.domain import exchange, loop
from intake.domain.board import reporter_update
from intake.domain.case import Case, Officer
from intake.domain.errors import DomainError
from intake.domain.identifiers import reported_case_id
from intake.domain.registration import Intake
from intake.handlers.cases import new_case

ForceStep = Callable[..., None]
FORCE_STEPS: dict[str, tuple[type[Any], ForceStep]] = {
    "case.accepted.v1": (CaseAccepted, loop.accepted),
    "case.returned.v1": (CaseReturned, loop.returned),
    "case.progressed.v1": (CaseProgressed, loop.progressed),
    "case.feedback.v1": (CaseFeedback, loop.feedback),
}


def on_force_event(hub: Hub) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        model, step = FORCE_STEPS[envelope.type]
        event = envelope.payload()
        assert isinstance(event, model)

        def change(current: Case | None) -> tuple[Case, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no case {event.case_id} at the hub")
            was = current.status
            try:
                step(current, event, event_id=envelope.id, agency=envelope.sender)
            except DomainError as error:
                raise Rejected(str(error)) from None
            told = reporter_update(current, was=was, at=now_utc())
            return current, hub.outgoing(current, told, envelope.id)

        await apply_once(hub.cases, event.case_id, envelope.id, change)

    return handle


def on_reported(hub: Hub) -> EventHandler:
    """事件上报: a force's report becomes a case; its own id never makes two cases."""

    async def handle(envelope: Envelope) -> None:
        event = envelope.payload()
        assert isinstance(event, CaseReported)
        agency = envelope.sender
        for party in event.parties:
            if party.id_number is not None:
                try:
                    validate_id_number(party.id_number)
                except ValueError as error:
                    raise Rejected(f"party {party.role}: {error}") from None
        candidate = reported_case_id(event.reported_at, agency, event.external_ref)
        case_id = await hub.external_refs.claim(f"{agency}:{event.external_ref}", candidate)
        intake = Intake(
            channel=event.channel,
            category=event.category,
            severity=event.severity,
            flags={Flag.EMERGENCY} if event.emergency else set(),
            title=event.title,
            description=event.description,
            location=event.location,
            reporter=agency,
            external_ref=event.external_ref,
        )
        reported = await new_case(
            hub,
            case_id=case_id,
            intake=intake,
            parties=list(event.parties),
            officer=Officer(id=agency, name=agency),
            now=event.reported_at,
        )
        if event.resolved_on_the_spot is not None:
            loop.settled_on_the_spot(reported, event.resolved_on_the_spot, agency=agency)

        def change(current: Case | None) -> tuple[Case, list[OutboxMessage]]:
            # The same matter reported again (a redelivery, or another event with the same
            # reporter id) stays one case, and the reporter hears of it once.
            if current is not None:
                return current, []
            told = CaseRegistered(
                case_id=reported.id,
                external_ref=event.external_ref,
                tracking_code=reported.tracking_code,
                registered_at=reported.registered_at,
            )
            return reported, hub.outgoing(reported, [Notice(agency, told)], envelope.id)

        await apply_once(hub.cases, case_id, envelope.id, change)

    return handle


def on_exchange_answer(hub: Hub) -> EventHandler:
    """回执 / 拒收: the gateway's answer to a transfer the hub sent (the subject is the case)."""

    async def handle(envelope: Envelope) -> None:
        answer = envelope.payload()
        assert isinstance(answer, ExchangeReceipt | ExchangeRejected)
        case_id = envelope.subject
        if case_id is None or answer.original_type != exchange.TRANSFER:
            return  # receipts of notices and closures change nothing on the case

        def change(current: Case | None) -> tuple[Case, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no case {case_id} at the hub")
            was = current.status
            if isinstance(answer, ExchangeReceipt):
                exchange.delivered(current, answer, event_id=envelope.id)
            else:
                exchange.undeliverable(current, answer, at=envelope.time, event_id=envelope.id)
            told = reporter_update(current, was=was, at=now_utc())
            return current, hub.outgoing(current, told, envelope.id)

        await apply_once(hub.cases, case_id, envelope.id, change)

    return handle
