"""A circuit breaker for one remote endpoint (a webhook receiver, the provincial platform):
after repeated failures stop calling it for a while.

An agency's server that is down would otherwise get every retry of every event at once. Closed,
calls go through; after ``failure_threshold`` consecutive failures it opens and refuses calls for
``cooldown_s``; then it is half-open and lets a single trial through, whose success closes it and
whose failure opens it again. Pure: the caller passes the time (``time.monotonic()``).
"""

from __future__ import annotations

from enum import StrEnum


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, *, failure_threshold: int = 5, cooldown_s: float = 30.0) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if cooldown_s < 0:
            raise ValueError("cooldown_s must not be negative")
        self._threshold = failure_threshold
        self._cooldown_s = cooldown_s
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_at: float | None = None  # when the half-open trial was let through

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def state(self, now: float) -> CircuitState:
        if self._opened_at is None:
            return CircuitState.CLOSED
        if now - self._opened_at < self._cooldown_s:
            return CircuitState.OPEN
        return CircuitState.HALF_OPEN

    def allow(self, now: float) -> bool:
        """May a call go now? In half-open this grants the one trial, so ask only to call."""
        state = self.state(now)
        if state is CircuitState.CLOSED:
            return True
        if state is CircuitState.OPEN or self._trial_pending(now):
            return False
        self._trial_at = now
        return True

    def wait_s(self, now: float) -> float:
        """How long until ``allow`` may say yes; 0 if it would now."""
        state = self.state(now)
        if state is CircuitState.CLOSED:
            return 0.0
        assert self._opened_at is not None
        if state is CircuitState.OPEN:
            return self._opened_at + self._cooldown_s - now
        if self._trial_pending(now):
            assert self._trial_at is not None
            return self._trial_at + self._cooldown_s - now
        return 0.0

    def succeeded(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_at = None

    def failed(self, now: float) -> None:
        self._failures += 1
        state = self.state(now)
        if state is CircuitState.HALF_OPEN:
            self._opened_at = now  # the trial failed: another full cooldown
        elif state is CircuitState.CLOSED and self._failures >= self._threshold:
            self._opened_at = now
        # Already open: a call sent before it opened failed late; the cooldown stands.
        self._trial_at = None

    def _trial_pending(self, now: float) -> bool:
        # A trial whose outcome never came (its caller was cancelled) must not wedge the breaker
        # half-open forever: after a cooldown another one may go.
        return self._trial_at is not None and now - self._trial_at < self._cooldown_s
