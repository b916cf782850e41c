"""The sim's whole state (模拟平台状态), in memory, for its routes and for tests to inspect."""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from fengqiao.clock import now_utc
from platform_adapter.sim.auth import Tokens
from platform_adapter.sim.config import SimConfig
from platform_adapter.sim.generator import EventMaker
from platform_adapter.sim.pushes import Push, StatusBook
from platform_adapter.sim.statuses import ClosurePush, PushKind, StatusPush
from platform_adapter.sim.store import EventStore


class UnknownEvent(LookupError):
    """No event of this id (404)."""


class Sim:
    """The stand-in 粤平安 platform: its events, the statuses pushed to it, its counters."""

    def __init__(self, config: SimConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.clock = clock or now_utc
        seed = config.seed if config.seed is not None else secrets.randbits(32)
        # Separate sources, so the events are the same whatever the failures do, and back.
        self.maker = EventMaker(random.Random(seed))
        self.fault_rng = random.Random(seed + 1)
        self.rate = config.rate
        self.failure_rate = config.failure_rate
        self.store = EventStore()
        self.book = StatusBook()
        self.tokens = Tokens(config.token_ttl_s)
        self.calls: Counter[str] = Counter()  # per endpoint, failed calls included
        self.injected: Counter[str] = Counter()  # "unavailable" (503) and "slow"
        self.webhook: Counter[str] = Counter()  # "sent" / "failed" batches
        self.webhook_transport: httpx.AsyncBaseTransport | None = None  # tests swap it
        self.unsent: list[Any] = []  # new records waiting for the webhook
        self.generate(config.initial_events)

    # --- events (事件) ---
    @property
    def events(self) -> list[Any]:
        """Every listed record, malformed ones included, oldest first."""
        return self.store.records

    def add_event(self, **given: Any) -> dict[str, Any]:
        """List one well-formed report; ``given`` fields (category_code, area_code, reporter,
        channel, ...) replace the invented ones."""
        now = self.clock()
        event = self.maker.new(self.store.next_seq(), now, **given)
        self._list(event, original_at=now)
        return event

    def add_raw(self, record: Any, kind: str = "raw") -> None:
        """List any JSON value as is (e.g. something the adapter must reject)."""
        self._list(record, malformed=kind)

    def repeat(self, event_id: str, **given: Any) -> dict[str, Any]:
        """List the same incident again from another channel (重复件) under a new event_id."""
        now = self.clock()
        event = self.maker.repeat(self.event(event_id), self.store.next_seq(), now)
        event.update(given)
        self.store.duplicates[event["event_id"]] = event_id
        self._list(event)  # a repeat is never the original of another
        return event

    def generate(self, n: int) -> list[Any]:
        """List ``n`` records with the configured shares of repeats and broken ones."""
        made: list[Any] = []
        window = timedelta(minutes=self.config.duplicate_window_min)
        for _ in range(n):
            now, roll = self.clock(), self.maker.rng.random()
            original = None
            if roll < self.config.malformed_share:
                record, kind = self.maker.broken(self.store.next_seq(), now)
                self._list(record, malformed=kind)
                made.append(record)
                continue
            if roll < self.config.malformed_share + self.config.duplicate_share:
                original = self.store.recent_original(now, window, self.maker.rng.randrange(8))
            if original is not None:
                made.append(self.repeat(original["event_id"]))
            else:
                made.append(self.add_event())
        return made

    @property
    def malformed(self) -> list[tuple[Any, str]]:
        """Each record listed broken on purpose, and what is wrong with it."""
        return [(self.store.records[at], kind) for at, kind in self.store.malformed.items()]

    @property
    def duplicates(self) -> dict[str, str]:
        """Each repeat's event_id → the event_id of the report it repeats."""
        return dict(self.store.duplicates)

    def event(self, event_id: str) -> dict[str, Any]:
        """The event of this id as listed, or UnknownEvent."""
        if event_id not in self.store.by_id:
            raise UnknownEvent(event_id)
        return self.store.by_id[event_id]

    def _list(
        self, record: Any, *, malformed: str | None = None, original_at: datetime | None = None
    ) -> None:
        self.store.append(record, malformed=malformed, original_at=original_at)
        if self.config.webhook_url:
            self.unsent.append(record)

    # --- statuses pushed back (回传) ---
    @property
    def pushes(self) -> list[Push]:
        """Every status and closure call received, replays included, with its key."""
        return self.book.pushes

    def push(self, kind: PushKind, event_id: str, key: str, body: StatusPush | ClosurePush) -> Any:
        """Take a status or closure push for a listed event (else UnknownEvent)."""
        self.event(event_id)
        return self.book.take(kind, event_id, key, body, self.clock())

    def statuses(self) -> dict[str, str | None]:
        """Each event with a pushed status → its current status on the platform."""
        return {event_id: record.status for event_id, record in self.book.records.items()}

    def status_of(self, event_id: str) -> str | None:
        """The platform's current status of an event (None until one is pushed)."""
        status: str | None = self.view_of(event_id)["status"]
        return status

    def view_of(self, event_id: str) -> dict[str, Any]:
        """The platform's view of an event: what GET /api/v1/events/{id}/status answers."""
        self.event(event_id)
        return self.book.view(event_id)

    def lose_status(self, event_id: str) -> None:
        """Forget what was pushed for an event, as an upstream that dropped an update would;
        the answers already given stand, so the sender believes it was kept (对账 finds it)."""
        self.book.records.pop(event_id, None)

    # --- knobs and tokens ---
    def set_failure_rate(self, rate: float) -> None:
        """Fail this share of API calls from now on (0 … 1)."""
        if not 0 <= rate <= 1:
            raise ValueError("a failure rate is between 0 and 1")
        self.failure_rate = rate

    def set_rate(self, rate: float) -> None:
        """Generate this many events per second while running (0: none)."""
        if rate < 0:
            raise ValueError("a rate cannot be negative")
        self.rate = rate

    def expire_tokens(self) -> None:
        """Every token issued so far expires now (clients must fetch a new one)."""
        self.tokens.expire_all()
