"""Kafka subscriptions of the justice office: events from ``xchg.in.<justice>``, each applied
once (the event id is kept on the record in the same commit).

- ``case.transferred.v1`` with action ``mediate`` from any agency (the hub, usually): a new
  mediation (收案); any other action goes back to its sender as ``case.returned.v1`` (退回);
- ``case.accepted/progressed/feedback/returned.v1`` from the court, answering the confirmation
  order (its ``case_id`` is the mediation's id): the ruling reaches the hub in the same commit;
- ``case.supervised/escalated/closed.v1`` from the hub about its order: lines on the record.

An event the office's rules refuse (an answer to no order of ours) goes to the DLQ with the reason.
"""

from __future__ import annotations

from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.storage import repositories_of
from justice.bootstrap import office_of
from justice.handlers.confirmations import on_court_answer
from justice.handlers.orders import on_hub_notice, on_transferred


def wiring(runtime: Runtime) -> Wiring:
    office = office_of(runtime)
    court = on_court_answer(office)
    hub = on_hub_notice(office)
    return Wiring(
        handlers={
            "case.transferred.v1": on_transferred(office),
            "case.accepted.v1": court,
            "case.progressed.v1": court,
            "case.feedback.v1": court,
            "case.returned.v1": court,
            "case.supervised.v1": hub,
            "case.escalated.v1": hub,
            "case.closed.v1": hub,
        },
        outbox=repositories_of(office.stores),
    )
