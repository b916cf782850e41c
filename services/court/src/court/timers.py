"""What the court starts with the process: the demo roster, seeded once, and the suggestion
clock's timer: every few minutes, flag the judicial suggestions whose reply is
overdue and urge their departments (逾期催复). A flag is set once, and saves are versioned, so two
replicas passing at once urge a department once."""

from __future__ import annotations

import contextlib
import logging

from court.adapters import roster
from court.adapters.store import all_of
from court.bootstrap import Tribunal, court_of
from court.domain.errors import DomainError
from court.domain.suggestion import SuggestionStatus as G
from court.domain.suggestion_clock import flag_overdue
from court.handlers.matters import change
from fengqiao.messaging.lifecycle import every, until_done
from fengqiao.runtime import Runtime
from fengqiao.storage import ConcurrencyError

log = logging.getLogger(__name__)


async def start(runtime: Runtime) -> None:
    tribunal = court_of(runtime)
    interval = tribunal.settings.overdue_interval_s
    pass_ = every("suggestion overdue pass", interval, lambda: flag_overdue_suggestions(tribunal))
    runtime.background(pass_, name="court-overdue")


async def flag_overdue_suggestions(tribunal: Tribunal) -> int:
    """One pass of the overdue clock; returns how many suggestions were flagged now."""
    now = tribunal.clock()
    open_late = {
        "status": {"$in": [G.ISSUED.value, G.ACCEPTED.value]},
        "reply_due": {"$lt": now},
        "overdue_flagged_at": None,
    }
    flagged = 0
    for suggestion in await all_of(tribunal.stores.suggestions, open_late):
        # Another replica flagged it meanwhile, or a step dated later came in: leave it.
        with contextlib.suppress(ConcurrencyError):
            try:
                saved = await change(
                    tribunal,
                    tribunal.stores.suggestions,
                    suggestion.id,
                    lambda s: flag_overdue(s, now=now),
                    attempts=1,
                )
            except DomainError as error:
                log.warning("suggestion %s not flagged: %s", suggestion.id, error)
                continue
            flagged += saved.overdue_flagged_at == now
    return flagged


async def seed_mediators(runtime: Runtime) -> None:
    """At start: the demo roster, unless switched off (a real court loads its own); in the
    background, so the court starts even while its store is still coming up."""
    tribunal = court_of(runtime)
    if tribunal.settings.seed_demo_mediators:
        seeding = until_done("demo mediators", lambda: roster.seed(tribunal.stores.mediators))
        runtime.background(seeding, name="court-seed-mediators")
