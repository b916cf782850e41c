"""The shared small rules: a step retried after a lost race, distances, envelope senders,
order ids (pure: no I/O)."""

from __future__ import annotations

import pytest

from fengqiao.contracts.orders import order_id
from fengqiao.geo import haversine_m
from fengqiao.storage import ConcurrencyError, retry_on_conflict
from support import reported


async def test_a_step_beaten_by_a_concurrent_save_is_judged_again() -> None:
    tries: list[int] = []

    async def attempt() -> str:
        tries.append(len(tries))
        if len(tries) < 3:
            raise ConcurrencyError("someone saved first")
        return "saved"

    assert await retry_on_conflict(attempt, what="case c-1") == "saved"
    assert len(tries) == 3


async def test_a_step_that_never_wins_says_what_kept_changing() -> None:
    async def attempt() -> None:
        raise ConcurrencyError("again")

    with pytest.raises(ConcurrencyError, match="case c-9 kept changing"):
        await retry_on_conflict(attempt, what="case c-9", attempts=3)


def test_distances_on_the_ground() -> None:
    assert haversine_m(112.8, 22.0, 112.8, 22.0) == 0
    one_degree_of_latitude = haversine_m(112.8, 22.0, 112.8, 23.0)
    assert 111_000 < one_degree_of_latitude < 111_400


def test_the_sender_is_the_agency_at_the_end_of_the_source() -> None:
    envelope = reported("c-1").model_copy(update={"source": "/agencies/grid/"})
    assert envelope.sender == "grid"


def test_one_order_one_record_at_each_force() -> None:
    assert order_id("intake", "a-1") == order_id("intake", "a-1")
    assert (
        len({order_id("intake", "a-1"), order_id("intake", "a-2"), order_id("police", "a-1")}) == 3
    )
