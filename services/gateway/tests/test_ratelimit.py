"""The public endpoints' token bucket, with a clock the test moves."""

from __future__ import annotations

import pytest

from gateway.domain.ratelimit import RateLimiter, retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_may_burst_its_rate_then_waits_for_the_next_token() -> None:
    clock = Clock()
    limiter = RateLimiter.per_minute(3, clock=clock)
    assert [limiter.take("1.2.3.4") for _ in range(3)] == [None, None, None]
    wait = limiter.take("1.2.3.4")
    assert wait == pytest.approx(20.0)  # one token every 20 s at 3 a minute
    clock.now += 19.9
    assert limiter.take("1.2.3.4") is not None
    clock.now += 0.2
    assert limiter.take("1.2.3.4") is None


def test_refused_requests_do_not_spend_and_the_bucket_never_overfills() -> None:
    clock = Clock()
    limiter = RateLimiter.per_minute(2, clock=clock)
    limiter.take("a")
    limiter.take("a")
    for _ in range(5):
        assert limiter.take("a") is not None
    clock.now += 30
    assert limiter.take("a") is None  # the refusals cost nothing
    clock.now += 3600
    assert [limiter.take("a") for _ in range(3)][-1] is not None  # two at most, not 120


def test_clients_have_buckets_of_their_own() -> None:
    limiter = RateLimiter.per_minute(1, clock=Clock())
    assert limiter.take("a") is None
    assert limiter.take("a") is not None
    assert limiter.take("b") is None


def test_a_clock_stepping_back_earns_nothing() -> None:
    clock = Clock()
    limiter = RateLimiter.per_minute(1, clock=clock)
    limiter.take("a")
    clock.now -= 500
    assert limiter.take("a") is not None


def test_the_table_forgets_the_least_recently_seen_client_first() -> None:
    clock = Clock()
    limiter = RateLimiter.per_minute(1, clock=clock, max_clients=2)
    limiter.take("old")
    limiter.take("busy")
    limiter.take("busy")  # seen again: now the most recent
    limiter.take("new")
    assert limiter.clients() == 2
    assert limiter.take("busy") is not None  # still remembered, still empty
    assert limiter.take("old") is None  # forgotten, so a fresh bucket


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    assert retry_after(0.01) == "1"
    assert retry_after(19.2) == "20"
    assert retry_after(20.0) == "20"


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(capacity=0, per_second=1, clock=Clock())
