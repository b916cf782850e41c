"""Kafka subscriptions of the court: events from ``xchg.in.<court>`` become matters or steps on
them, each applied once (the event id is kept on the matter in the same commit).

- ``case.transferred.v1``: an order to mediate before litigation (from the hub) or to confirm an
  agreement (from the justice office); any other action goes back (``handlers.transfers``).
- ``case.accepted/progressed/feedback/returned.v1`` from a department: its answer to a judicial
  suggestion (``handlers.suggestions``).
- ``case.supervised/escalated/closed.v1`` from an order's sender: a line on the record of the
  matter (``handlers.notices``).
"""

from __future__ import annotations

from court.bootstrap import court_of
from court.handlers.notices import on_notice
from court.handlers.suggestions import on_department_answer
from court.handlers.transfers import on_transferred
from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.storage import repositories_of


def wiring(runtime: Runtime) -> Wiring:
    tribunal = court_of(runtime)
    answers = on_department_answer(tribunal)
    notices = on_notice(tribunal)
    stores = tribunal.stores
    return Wiring(
        handlers={
            "case.transferred.v1": on_transferred(tribunal),
            "case.accepted.v1": answers,
            "case.progressed.v1": answers,
            "case.feedback.v1": answers,
            "case.returned.v1": answers,
            "case.supervised.v1": notices,
            "case.escalated.v1": notices,
            "case.closed.v1": notices,
        },
        outbox=repositories_of(stores),
    )
