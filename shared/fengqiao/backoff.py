"""Retry timing (重试退避): exponential backoff with full jitter, the one schedule of every
retry — a consumer's handler, a webhook delivery, a call to the provincial platform.

Every client retrying on the same schedule would hit a recovering peer in waves; a delay drawn
uniformly below an exponentially growing ceiling spreads them out. A ``Retry-After`` the peer
sent (429, 503) is a floor. The random source may be passed in, for tests and replays.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_RANDOM = random.Random()


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

    def delay(
        self,
        attempt: int,
        rng: random.Random | None = None,
        *,
        retry_after: float | None = None,
    ) -> float:
        """Seconds to wait before retry ``attempt``; never less than the peer's Retry-After."""
        drawn = (rng or _RANDOM).uniform(0.0, self.ceiling(attempt))
        return max(drawn, retry_after) if retry_after is not None and retry_after > 0 else drawn

    def schedule(self, attempts: int, rng: random.Random) -> list[float]:
        """The waits before retries 1..``attempts``, e.g. to show or test a plan."""
        return [self.delay(n, rng) for n in range(1, attempts + 1)]
