"""Numbers handed out in sequence: each taken once even when asked for at once, one series per
kind and year, a holder gets its own number back, and numbers stored before the shared sequence
(by the court, the justice office and the procuratorate) continue where they stopped."""

from __future__ import annotations

import asyncio

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage import Sequence
from fengqiao.storage.mongo import Document


async def test_numbers_are_taken_once_even_when_asked_for_at_once(
    mongo_db: AsyncDatabase[Document],
) -> None:
    numbers = Sequence(mongo_db["counters"])
    taken = await asyncio.gather(*(numbers.take("agreement", 2026) for _ in range(8)))
    following = await numbers.take("agreement", 2026)
    other_year = await numbers.take("agreement", 2027)
    other_kind = await numbers.take("hearing", 2026)
    assert sorted(taken) == list(range(1, 9))
    assert (following, other_year, other_kind) == (9, 1, 1)
    assert await numbers.highest("agreement", 2026) == 9


async def test_a_holder_gets_its_own_number_back_and_others_take_the_next(
    mongo_db: AsyncDatabase[Document],
) -> None:
    numbers = Sequence(mongo_db["counters"])
    first = await numbers.take("civil_special", 2026, holder="confirmations/c-1")
    again = await numbers.take("civil_special", 2026, holder="confirmations/c-1")
    held = await asyncio.gather(
        *(numbers.take("civil_special", 2026, holder=f"confirmations/c-{i}") for i in range(2, 6))
    )
    elsewhere = await numbers.take("pre_litigation", 2026, holder="confirmations/c-1")
    assert (first, again, elsewhere) == (1, 1, 1)
    assert sorted(held) == [2, 3, 4, 5]
    stored = await mongo_db["counters"].find_one({"_id": "civil_special-2026-1"})
    assert stored is not None and stored["holder"] == "confirmations/c-1"
    assert (stored["kind"], stored["year"], stored["series"], stored["n"]) == (
        "civil_special",
        2026,
        "civil_special-2026",
        1,
    )


async def test_numbers_stored_before_the_shared_sequence_continue(
    mongo_db: AsyncDatabase[Document],
) -> None:
    counters = mongo_db["counters"]
    # as the court and the justice office stored them: kind and year; the procuratorate: series
    await counters.insert_many(
        [
            {"_id": "agreement-2026-1", "kind": "agreement", "year": 2026, "n": 1},
            {"_id": "agreement-2026-2", "kind": "agreement", "year": 2026, "n": 2},
            {
                "_id": "civil_first_instance-2026-7",
                "kind": "civil_first_instance",
                "year": 2026,
                "n": 7,
                "holder": "mediations/m-7",
            },
            {"_id": "TZ-2026-1", "series": "TZ-2026", "n": 1},
            {"_id": "TZ-2026-2", "series": "TZ-2026", "n": 2},
            {"_id": "TZ-2026-extra-9", "series": "TZ-2026-extra", "n": 9},
        ]
    )
    numbers = Sequence(counters)
    assert await numbers.take("agreement", 2026) == 3
    assert await numbers.take("TZ", 2026) == 3
    assert await numbers.take("civil_first_instance", 2026, holder="mediations/m-7") == 7
    assert await numbers.take("civil_first_instance", 2026, holder="mediations/m-8") == 8
