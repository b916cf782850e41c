"""Retry timing (重试退避) for calls to the platform: exponential backoff with full jitter.

Every client retrying on the same schedule would hit a recovering platform in waves; a delay
drawn uniformly below an exponentially growing ceiling spreads them out. A ``Retry-After`` the
platform sent (429, 503) is a floor. Pure: the caller passes the random source, and the circuit
breaker is the gateway's (see the report: it belongs in the shared library).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """退避策略: attempt n waits a uniform draw in [0, min(cap_s, base_s · 2^(n-1))]."""

    base_s: float = 0.5
    cap_s: float = 60.0

    def __post_init__(self) -> None:
        if self.base_s <= 0 or self.cap_s < self.base_s:
            raise ValueError("backoff needs 0 < base_s <= cap_s")

    def ceiling(self, attempt: int) -> float:
        """The longest wait before retry number ``attempt`` (1 for the first retry)."""
        if attempt < 1:
            raise ValueError("attempts are counted from 1")
        # Past ~64 doublings the float would overflow long after the cap is reached.
        return min(self.cap_s, self.base_s * 2.0 ** min(attempt - 1, 64))

    def delay(self, attempt: int, rng: random.Random, *, retry_after: float | None = None) -> float:
        """Seconds to wait before retry ``attempt``; never less than the platform's Retry-After."""
        drawn = rng.uniform(0.0, self.ceiling(attempt))
        return max(drawn, retry_after) if retry_after is not None and retry_after > 0 else drawn

    def schedule(self, attempts: int, rng: random.Random) -> list[float]:
        """The waits before retries 1..``attempts``, e.g. to show or test a plan."""
        return [self.delay(n, rng) for n in range(1, attempts + 1)]
