"""Kafka subscriptions of the justice service: translate events to commands, nothing more.

The table maps each CloudEvents type this service takes from its inbound topic to a handler;
a type not in it is dead-lettered with the reason. The outbox list names the repositories whose
committed events the relay publishes.
"""

from __future__ import annotations

from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime


def wiring(runtime: Runtime) -> Wiring:
    return Wiring(handlers={}, outbox=[])
