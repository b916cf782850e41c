"""The supervisor (督办): every few seconds, raise the cards of cases whose next check is due.

Timers are the cases' own ``next_check_at``, so they survive restarts; a card is raised by a
versioned save and cards only rise, so when two replicas look at once it falls only once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fengqiao.runtime import Runtime
from fengqiao.storage import ConcurrencyError
from intake.adapters.store import due_for_supervision
from intake.bootstrap import hub_of
from intake.handlers import Hub, now_utc, supervise_case

log = logging.getLogger(__name__)


async def supervise_due(hub: Hub) -> int:
    """One pass; returns how many cases were looked at."""
    case_ids = await due_for_supervision(hub.cases, now_utc())
    for case_id in case_ids:
        with contextlib.suppress(ConcurrencyError):  # another replica is on it
            await supervise_case(hub, case_id=case_id)
    return len(case_ids)


async def run(hub: Hub) -> None:
    while True:
        try:
            await supervise_due(hub)
        except Exception:
            log.exception("supervision pass failed; trying again")
        await asyncio.sleep(hub.settings.supervision_interval_s)


async def start(runtime: Runtime) -> None:
    runtime.state["supervisor"] = asyncio.create_task(run(hub_of(runtime)), name="supervisor")


async def stop(runtime: Runtime) -> None:
    task = runtime.state.pop("supervisor", None)
    if isinstance(task, asyncio.Task):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
