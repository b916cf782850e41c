"""The adapter's context — what its handlers, loops and consumers share — built once per
process: stores, the platform's client, the mapping tables, the circuit breaker in front of the
platform, the sync figures, and the set of records that owe the platform a push."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fengqiao.backoff import Backoff
from fengqiao.circuit import CircuitBreaker
from fengqiao.clock import now_utc
from fengqiao.contracts import new_envelope, topics
from fengqiao.contracts.registry import EventData
from fengqiao.messaging import OutboxMessage, outgoing
from fengqiao.runtime import Runtime
from platform_adapter.adapters.platform_client import PlatformClient
from platform_adapter.adapters.store import Stores
from platform_adapter.domain.mapping import MappingTables, load_tables
from platform_adapter.settings import PlatformSettings


@dataclass
class Figures:
    """同步指标: what an operator watches (GET /api/v1/sync/status)."""

    pulled: int = 0
    forwarded: int = 0
    duplicates: int = 0
    rejected: int = 0
    pushed: int = 0
    repaired: int = 0
    pull_errors: int = 0
    push_errors: int = 0
    last_pull_at: datetime | None = None
    newest_reported_at: datetime | None = None
    behind: bool = False  # the last page said more events are waiting


@dataclass
class Adapter:
    stores: Stores
    client: PlatformClient
    tables: MappingTables
    agency: str
    settings: PlatformSettings
    breaker: CircuitBreaker
    figures: Figures = field(default_factory=Figures)
    owed: set[str] = field(default_factory=set)  # record ids that may owe a push
    backoff: Backoff = field(default_factory=Backoff)
    rng: random.Random = field(default_factory=random.Random)
    failures_in_a_row: int = 0
    clock: Callable[[], datetime] = field(default=now_utc)

    def may_call(self) -> bool:
        return self.breaker.allow(time.monotonic())

    def went_well(self) -> None:
        self.breaker.succeeded()
        self.failures_in_a_row = 0

    def went_wrong(self) -> float:
        """Note a failed call; how long to wait before the next (backoff with jitter)."""
        self.breaker.failed(time.monotonic())
        self.failures_in_a_row += 1
        return self.backoff.delay(self.failures_in_a_row, self.rng)

    def to_hub(self, data: EventData, *, subject: str) -> OutboxMessage:
        hub = self.settings.hub_agency
        return outgoing(
            topics.outbound(self.agency),
            new_envelope(data, source=f"/agencies/{self.agency}", subject=subject, recipient=hub),
        )


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


async def stop(runtime: Runtime) -> None:
    """On stop: close the platform's client that ``adapter_of`` opened."""
    await adapter_of(runtime).client.close()
