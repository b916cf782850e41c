"""Kafka subscriptions of the gateway as an agency in its own right (it reports citizens'
Open311 requests to the hub): the hub's answers, and the exchange's receipts."""

from __future__ import annotations

import logging

from fengqiao.contracts import Envelope
from fengqiao.messaging.pump import EventHandler, Wiring
from fengqiao.runtime import Runtime
from gateway.registered import on_registered

log = logging.getLogger(__name__)


async def noted(envelope: Envelope) -> None:
    """A receipt or rejection of what the gateway itself sent: logged; the request store keeps
    the outcome that matters to the citizen (the hub's case.registered)."""
    log.debug("%s for %s: %s", envelope.type, envelope.causationid, envelope.data)


def wiring(runtime: Runtime) -> Wiring:
    handlers: dict[str, EventHandler] = {
        "exchange.receipt.v1": noted,
        "exchange.rejected.v1": noted,
        "case.registered.v1": on_registered(runtime.db),
    }
    return Wiring(handlers=handlers, outbox=[])
