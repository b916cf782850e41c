"""Build the adapter's dependencies once per process, and start its three loops: pull new
events, push what the platform is owed, reconcile both sides."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fengqiao.circuit import CircuitBreaker
from fengqiao.messaging.lifecycle import every, until_done
from fengqiao.runtime import Runtime
from platform_adapter.adapters.platform_client import PlatformClient
from platform_adapter.adapters.store import Stores
from platform_adapter.domain.mapping import load_tables
from platform_adapter.handlers import Adapter
from platform_adapter.pulling import pull_once
from platform_adapter.pushing import push_owed, reconcile, refill
from platform_adapter.settings import PlatformSettings

log = logging.getLogger(__name__)


def adapter_of(runtime: Runtime) -> Adapter:
    adapter = runtime.state.get("adapter")
    if isinstance(adapter, Adapter):
        return adapter
    settings = PlatformSettings()
    adapter = Adapter(
        stores=Stores(runtime.db),
        client=PlatformClient(
            settings.upstream_url,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            timeout_s=settings.timeout_s,
        ),
        tables=load_tables(),
        agency=runtime.settings.agency_id,
        settings=settings,
        breaker=CircuitBreaker(
            failure_threshold=settings.breaker_failures, cooldown_s=settings.breaker_cooldown_s
        ),
    )
    runtime.state["adapter"] = adapter
    return adapter


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


async def stop(runtime: Runtime) -> None:
    await adapter_of(runtime).client.close()


async def paced(what: str, default_s: float, work: Callable[[], Awaitable[float]]) -> None:
    """Run ``work`` until cancelled, waiting as long as it asks (backoff after failures)."""
    while True:
        try:
            wait = await work()
        except Exception:
            log.exception("%s failed; trying again", what)
            wait = default_s
        await asyncio.sleep(wait)
