"""A concurrent update of the same document never loses a write."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import Field
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage import Aggregate, ConcurrencyError, NotFound, Repository
from fengqiao.storage.mongo import Document


class Ledger(Aggregate):
    entries: list[str] = Field(default_factory=list)


async def test_concurrent_writers_never_lose_an_update(mongo_db: AsyncDatabase[Document]) -> None:
    ledgers = Repository(mongo_db["ledgers"], Ledger)
    await ledgers.add(Ledger(id="L1"))
    conflicts = 0

    async def append(entry: str) -> None:
        nonlocal conflicts
        while True:
            ledger = await ledgers.get("L1")
            await asyncio.sleep(0)  # let the other writers read the same version
            try:
                await ledgers.save(ledger.model_copy(update={"entries": [*ledger.entries, entry]}))
                return
            except ConcurrencyError:
                conflicts += 1

    writers = [f"w{i}" for i in range(20)]
    await asyncio.gather(*(append(w) for w in writers))

    final = await ledgers.get("L1")
    assert sorted(final.entries) == sorted(writers), "every write is there"
    assert final.version == 1 + len(writers)
    assert conflicts > 0, "the writers really did collide"


async def test_a_stale_save_is_refused(mongo_db: AsyncDatabase[Document]) -> None:
    ledgers = Repository(mongo_db["ledgers"], Ledger)
    first = await ledgers.add(Ledger(id="L2"))
    await ledgers.save(first.model_copy(update={"entries": ["a"]}))
    with pytest.raises(ConcurrencyError):
        await ledgers.save(first.model_copy(update={"entries": ["b"]}))
    assert (await ledgers.get("L2")).entries == ["a"]
    with pytest.raises(ConcurrencyError):
        await ledgers.add(Ledger(id="L2"))
    with pytest.raises(NotFound):
        await ledgers.get("nope")
