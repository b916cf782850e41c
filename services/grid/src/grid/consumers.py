"""Kafka subscriptions of the grid: which handler takes each event type from its senders, and
the repositories whose outboxes the relay drains."""

from __future__ import annotations

from fengqiao.contracts.orders import SENDER_NOTICES
from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.storage import repositories_of
from grid.bootstrap import grid_of
from grid.handlers.orders import on_sender_notice, on_transferred


def wiring(runtime: Runtime) -> Wiring:
    grid = grid_of(runtime)
    return Wiring(
        handlers={
            "case.transferred.v1": on_transferred(grid),
            **dict.fromkeys(SENDER_NOTICES, on_sender_notice(grid)),
        },
        outbox=repositories_of(grid.stores),
    )
