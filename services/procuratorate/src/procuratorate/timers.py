"""The reminder pass (催告): every ``reminder_interval_s``, the suggestions whose next reminder
has come get it. ``remind`` marks each reminder sent in the same commit as its event and saves
are versioned, so two passes (or two replicas) at once send every reminder exactly once."""

from __future__ import annotations

import contextlib
import logging

from fengqiao.messaging.lifecycle import every
from fengqiao.runtime import Runtime
from fengqiao.storage import ConcurrencyError
from procuratorate.bootstrap import Procuratorate, procuratorate_of
from procuratorate.domain.errors import DomainError
from procuratorate.handlers.suggestions import remind

log = logging.getLogger(__name__)


async def remind_due(proc: Procuratorate) -> int:
    """One pass; returns how many reminders were sent."""
    sent = 0
    for suggestion in await proc.stores.reminders_due(proc.clock()):
        with contextlib.suppress(ConcurrencyError):
            try:
                sent += await remind(proc, suggestion_id=suggestion.id)
            except DomainError as error:  # one bad record must not stop the others' reminders
                log.warning("suggestion %s not reminded: %s", suggestion.id, error)
    return sent


async def start(runtime: Runtime) -> None:
    proc = procuratorate_of(runtime)
    interval = proc.settings.reminder_interval_s
    runtime.background(
        every("suggestion reminder pass", interval, lambda: remind_due(proc)), name="reminders"
    )
