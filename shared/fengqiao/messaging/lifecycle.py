"""The one way a background loop outlives its broker or store going away."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def until_done(
    what: str, attempt: Callable[[], Awaitable[object]], *, pause_s: float = 2.0
) -> None:
    """Try ``attempt`` until it succeeds: start-up work that needs the store or the broker,
    which may come up after the service does."""
    while True:
        try:
            await attempt()
            return
        except Exception as error:
            log.warning("%s not done yet (%r); retrying", what, error)
            await asyncio.sleep(pause_s)


async def every(what: str, interval_s: float, work: Callable[[], Awaitable[object]]) -> None:
    """Run ``work`` every ``interval_s`` seconds until cancelled (a service's timers); a failed
    pass is logged and the next one comes."""
    while True:
        try:
            await work()
        except Exception:
            log.exception("%s failed; trying again", what)
        await asyncio.sleep(interval_s)


async def keep_running(
    what: str, once: Callable[[], Awaitable[None]], stopping: asyncio.Event, *, pause_s: float = 2.0
) -> None:
    """Run ``once`` until ``stopping`` is set. When it fails (Kafka or the store went away),
    log it and start again after a pause, so a service can start before its dependencies."""
    while not stopping.is_set():
        try:
            await once()
        except Exception as error:
            log.warning("%s stopped (%r); restarting", what, error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), pause_s)
