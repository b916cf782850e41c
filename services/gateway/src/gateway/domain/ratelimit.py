"""A token bucket per client (pure; the clock is passed in).

Each client may spend ``capacity`` requests at once and earns them back at ``per_second``. The
table of buckets is bounded: past ``max_clients`` the least recently seen client is forgotten,
which at worst hands an idle client a fresh bucket, never blocks an innocent one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]  # seconds, monotonic


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(
        self, *, capacity: int, per_second: float, clock: Clock, max_clients: int = 100_000
    ) -> None:
        if capacity < 1 or per_second <= 0 or max_clients < 1:
            raise ValueError("capacity, rate and max_clients must be positive")
        self.capacity = capacity
        self.per_second = per_second
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}

    @classmethod
    def per_minute(cls, rate: int, *, clock: Clock, max_clients: int = 100_000) -> RateLimiter:
        """``rate`` requests a minute, all of which may come in one burst."""
        return cls(capacity=rate, per_second=rate / 60, clock=clock, max_clients=max_clients)

    def take(self, client: str) -> float | None:
        """Spend one request of ``client``: None if allowed, else the seconds to wait."""
        now = self._clock()
        # Popped and put back, so the dict's order is least recently seen first.
        bucket = self._buckets.pop(client, None) or _Bucket(float(self.capacity), now)
        elapsed = max(0.0, now - bucket.at)  # a clock that steps back earns nothing
        bucket.tokens = min(float(self.capacity), bucket.tokens + elapsed * self.per_second)
        bucket.at = now
        self._buckets[client] = bucket
        while len(self._buckets) > self._max_clients:
            del self._buckets[next(iter(self._buckets))]
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / self.per_second

    def clients(self) -> int:
        return len(self._buckets)


def retry_after(wait_s: float) -> str:
    """The Retry-After header value: whole seconds, rounded up, at least one."""
    return str(max(1, math.ceil(wait_s)))
