"""The supervisor (督办): every few seconds, raise the cards of cases whose next check is due.

Timers are the cases' own ``next_check_at``, so they survive restarts; a card is raised by a
versioned save and cards only rise, so when two replicas look at once it falls only once."""

from __future__ import annotations

import contextlib

from fengqiao.clock import now_utc
from fengqiao.messaging.lifecycle import every
from fengqiao.runtime import Runtime
from fengqiao.storage import ConcurrencyError
from intake.adapters.store import due_for_supervision
from intake.bootstrap import Hub, hub_of
from intake.handlers.cases import supervise_case


async def supervise_due(hub: Hub) -> int:
    """One pass; returns how many cases were looked at."""
    case_ids = await due_for_supervision(hub.cases, now_utc())
    for case_id in case_ids:
        with contextlib.suppress(ConcurrencyError):  # another replica is on it
            await supervise_case(hub, case_id=case_id)
    return len(case_ids)


async def start(runtime: Runtime) -> None:
    hub = hub_of(runtime)
    interval = hub.settings.supervision_interval_s
    runtime.background(
        every("supervision pass", interval, lambda: supervise_due(hub)), name="supervisor"
    )
