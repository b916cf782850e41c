"""The webhook circuit breaker: closed, open after N failures, one trial after the cooldown."""

from __future__ import annotations

import pytest

from fengqiao.circuit import CircuitBreaker, CircuitState


def opened(now: float = 100.0) -> CircuitBreaker:
    breaker = CircuitBreaker(failure_threshold=3, cooldown_s=10.0)
    for _ in range(3):
        assert breaker.allow(now)
        breaker.failed(now)
    return breaker


def test_closed_lets_every_call_through_and_failures_below_the_threshold_keep_it_closed() -> None:
    breaker = CircuitBreaker(failure_threshold=3, cooldown_s=10.0)
    for _ in range(2):
        assert breaker.allow(0.0)
        breaker.failed(0.0)
    assert breaker.state(0.0) is CircuitState.CLOSED
    assert breaker.allow(0.0) and breaker.wait_s(0.0) == 0.0


def test_a_success_resets_the_count_of_consecutive_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=3, cooldown_s=10.0)
    breaker.failed(0.0)
    breaker.failed(0.0)
    breaker.succeeded()
    breaker.failed(0.0)
    breaker.failed(0.0)
    assert breaker.state(0.0) is CircuitState.CLOSED
    assert breaker.consecutive_failures == 2


def test_the_threshold_of_consecutive_failures_opens_it_for_the_cooldown() -> None:
    breaker = opened(now=100.0)
    assert breaker.state(100.0) is CircuitState.OPEN
    assert not breaker.allow(100.0)
    assert not breaker.allow(109.9)
    assert breaker.wait_s(104.0) == pytest.approx(6.0)


def test_after_the_cooldown_exactly_one_trial_goes_through() -> None:
    breaker = opened(now=100.0)
    assert breaker.state(110.0) is CircuitState.HALF_OPEN
    assert breaker.wait_s(110.0) == 0.0
    assert breaker.allow(110.0), "the trial"
    assert not breaker.allow(110.5), "nobody else while the trial is out"
    assert breaker.wait_s(110.5) > 0


def test_a_successful_trial_closes_it() -> None:
    breaker = opened(now=100.0)
    assert breaker.allow(110.0)
    breaker.succeeded()
    assert breaker.state(110.0) is CircuitState.CLOSED
    assert breaker.allow(110.0) and breaker.allow(110.0)


def test_a_failed_trial_opens_it_again_for_a_full_cooldown() -> None:
    breaker = opened(now=100.0)
    assert breaker.allow(110.0)
    breaker.failed(112.0)
    assert breaker.state(112.0) is CircuitState.OPEN
    assert not breaker.allow(121.9)
    assert breaker.allow(122.0), "the next trial, a cooldown after the failed one"


def test_a_late_failure_of_a_call_sent_before_it_opened_does_not_extend_the_cooldown() -> None:
    breaker = opened(now=100.0)
    breaker.failed(105.0)
    assert breaker.state(110.0) is CircuitState.HALF_OPEN


def test_a_trial_that_never_reports_does_not_wedge_it_half_open() -> None:
    breaker = opened(now=100.0)
    assert breaker.allow(110.0)  # its caller is cancelled and never reports
    assert not breaker.allow(115.0)
    assert breaker.allow(120.0)


@pytest.mark.parametrize(("threshold", "cooldown"), [(0, 1.0), (1, -1.0)])
def test_nonsense_settings_are_refused(threshold: int, cooldown: float) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=threshold, cooldown_s=cooldown)
