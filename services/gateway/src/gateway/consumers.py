"""Kafka subscriptions of the gateway as an agency in its own right (it reports citizens'
Open311 requests to the hub): the hub's answers, and the exchange's receipts."""

from __future__ import annotations

from fengqiao.messaging.pump import EventHandler, Wiring
from fengqiao.runtime import Runtime
from gateway.handlers.open311 import noted, on_registered


def wiring(runtime: Runtime) -> Wiring:
    handlers: dict[str, EventHandler] = {
        "exchange.receipt.v1": noted,
        "exchange.rejected.v1": noted,
        "case.registered.v1": on_registered(runtime.db),
    }
    return Wiring(handlers=handlers, outbox=[])
