"""Kafka subscriptions of the hub: the event types from ``xchg.in.intake`` and the handler of
each (handlers/case_events.py), and the outbox the cases' events leave by."""

from __future__ import annotations

from fengqiao.messaging.pump import EventHandler, Wiring
from fengqiao.runtime import Runtime
from fengqiao.storage import repositories_of
from intake.bootstrap import hub_of
from intake.handlers.case_events import (
    FORCE_STEPS,
    on_exchange_answer,
    on_force_event,
    on_reported,
)


def wiring(runtime: Runtime) -> Wiring:
    hub = hub_of(runtime)
    handlers: dict[str, EventHandler] = {
        "case.reported.v1": on_reported(hub),
        "exchange.receipt.v1": on_exchange_answer(hub),
        "exchange.rejected.v1": on_exchange_answer(hub),
    }
    handlers |= {event_type: on_force_event(hub) for event_type in FORCE_STEPS}
    return Wiring(handlers=handlers, outbox=repositories_of(hub))
