"""The adapter's loops, started on start: refill what is owed, pull new events, push what the
platform is owed, reconcile both sides — and the pass each loop runs.

拉取 (pull): a page at a time after the persisted cursor; the cursor moves only after the whole
page is handled, so a crash re-reads the page and the sync records make the re-read harmless.
回传 (push): each owed push sent until acknowledged, backing off while the platform fails."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fengqiao.messaging.lifecycle import every, until_done
from fengqiao.runtime import Runtime
from platform_adapter.adapters.platform_client import PlatformRefused, PlatformUnavailable
from platform_adapter.adapters.store import SYNCED
from platform_adapter.bootstrap import Adapter, adapter_of
from platform_adapter.domain import outbound
from platform_adapter.handlers.pulls import take
from platform_adapter.handlers.pushes import reconcile, send

log = logging.getLogger(__name__)


async def start(runtime: Runtime) -> None:
    adapter = adapter_of(runtime)
    settings = adapter.settings
    runtime.background(until_done("owed pushes", lambda: refill(adapter)), name="refill")
    runtime.background(
        paced("pull", settings.poll_interval_s, lambda: pull_once(adapter)), name="pull"
    )
    runtime.background(
        paced("push", settings.push_interval_s, lambda: push_owed(adapter)), name="push"
    )
    runtime.background(
        every("reconciliation", settings.reconcile_interval_s, lambda: reconcile(adapter)),
        name="reconcile",
    )


async def paced(what: str, default_s: float, work: Callable[[], Awaitable[float]]) -> None:
    """Run ``work`` until cancelled, waiting as long as it asks (backoff after failures)."""
    while True:
        try:
            wait = await work()
        except Exception:
            log.exception("%s failed; trying again", what)
            wait = default_s
        await asyncio.sleep(wait)


async def pull_once(adapter: Adapter) -> float:
    """One pass: every page the platform has; the seconds to wait before the next pass."""
    while True:
        if not adapter.may_call():
            return adapter.settings.poll_interval_s
        try:
            after = await adapter.stores.cursor()
            page = await adapter.client.events(after=after, limit=adapter.settings.page_size)
        except (PlatformUnavailable, PlatformRefused) as error:
            adapter.figures.pull_errors += 1
            log.warning("pulling from the platform failed: %s", error)
            return adapter.went_wrong()
        adapter.went_well()
        for raw in page.events:
            await take(adapter, raw)
        adapter.figures.pulled += len(page.events)
        adapter.figures.last_pull_at = adapter.clock()
        adapter.figures.behind = page.has_more
        if page.next_cursor is not None and page.next_cursor != after:
            await adapter.stores.keep_cursor(page.next_cursor)
        if not page.has_more:
            return adapter.settings.poll_interval_s


async def push_owed(adapter: Adapter) -> float:
    """Send every owed push; the seconds to wait before the next pass."""
    for record_id in sorted(adapter.owed):
        while True:
            record = await adapter.stores.records.get(record_id)
            push = outbound.next_push(record)
            if push is None:
                adapter.owed.discard(record_id)
                break
            wait = await send(adapter, record, push)
            if wait is not None:
                return wait
    return adapter.settings.push_interval_s


async def refill(adapter: Adapter) -> None:
    """At start: every synced record may owe a push that a stopped process did not send."""
    records = await adapter.stores.where({"state": {"$in": SYNCED}})
    adapter.owed.update(r.id for r in records)
