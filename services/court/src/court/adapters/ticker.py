"""The suggestion clock's timer: every few minutes, flag the judicial suggestions whose reply is
overdue and urge their departments. A flag is set once, and saves are versioned, so two
replicas passing at once urge a department once."""

from __future__ import annotations

from court.bootstrap import court_of
from court.handlers_suggestion import flag_overdue_suggestions
from fengqiao.messaging.lifecycle import every
from fengqiao.runtime import Runtime


async def start(runtime: Runtime) -> None:
    tribunal = court_of(runtime)
    interval = tribunal.settings.overdue_interval_s
    pass_ = every("suggestion overdue pass", interval, lambda: flag_overdue_suggestions(tribunal))
    runtime.background(pass_, name="court-overdue")
