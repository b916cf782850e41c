"""Kafka subscriptions of the procuratorate: which handler takes each event from
``xchg.in.<procuratorate>`` (the hub's referrals and notices, a department's answers to a
suggestion), and the stores whose outboxes are relayed."""

from __future__ import annotations

from fengqiao.contracts.orders import SENDER_NOTICES
from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.storage import repositories_of
from procuratorate.bootstrap import procuratorate_of
from procuratorate.handlers.cases import on_sender_notice, on_transferred
from procuratorate.handlers.suggestions import on_department_answer


def wiring(runtime: Runtime) -> Wiring:
    proc = procuratorate_of(runtime)
    answer = on_department_answer(proc)
    return Wiring(
        handlers={
            "case.transferred.v1": on_transferred(proc),
            "case.accepted.v1": answer,
            "case.progressed.v1": answer,
            "case.feedback.v1": answer,
            **dict.fromkeys(SENDER_NOTICES, on_sender_notice(proc)),
        },
        outbox=repositories_of(proc.stores),
    )
