"""Kafka subscriptions of the adapter: the hub's answers about the cases the platform reported
and its notices (handlers/hub_answers.py), and the outbox the sync records' events leave by."""

from __future__ import annotations

from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.storage import repositories_of
from platform_adapter.bootstrap import adapter_of
from platform_adapter.handlers.hub_answers import on_hub_answer, on_notice


def wiring(runtime: Runtime) -> Wiring:
    adapter = adapter_of(runtime)
    answer = on_hub_answer(adapter)
    return Wiring(
        handlers={
            "case.registered.v1": answer,
            "case.updated.v1": answer,
            "case.closed.v1": answer,
            "case.escalated.v1": on_notice,
            "case.supervised.v1": on_notice,
        },
        outbox=repositories_of(adapter.stores),
    )
