"""Kafka subscriptions of the police service: which handler takes each event from
``xchg.in.<police>`` (the hub's orders and notices, the grid's answers to a follow-up), and the
repositories whose outboxes the relay drains. An event the station's rules refuse is rejected
to the DLQ with the reason."""

from __future__ import annotations

from fengqiao.contracts.orders import SENDER_NOTICES
from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.storage import repositories_of
from police.bootstrap import station_of
from police.handlers.linkage import on_grid_answer
from police.handlers.orders import on_sender_notice, on_transferred


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
        outbox=repositories_of(station),
    )
