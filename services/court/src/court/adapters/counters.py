"""案号计数: the court's running numbers, one counter per case kind and year.

A number is taken by inserting ``{_id: "<kind>-<year>-<n>"}``, starting after the highest one
taken, and trying n+1 when another writer got n first: an insert on a unique ``_id`` is atomic
on MongoDB and FerretDB alike, where FerretDB's ``update_one`` increment is not. The holder (the
matter the number is for) is kept, so a retried step reuses its number instead of leaving a gap.
"""

from __future__ import annotations

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from court.domain.case_numbers import CaseKind
from fengqiao.clock import now_utc
from fengqiao.storage.mongo import Document

COUNTERS = "counters"


class CaseCounters:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def take(self, kind: CaseKind, year: int, *, holder: str) -> int:
        """The sequence number of ``holder``'s case of ``kind`` in ``year``: its own if it has
        one already, else the next free one."""
        held = await self.collection.find_one({"kind": kind.value, "year": year, "holder": holder})
        if held is not None:
            return int(held["n"])
        n = await self.highest(kind, year) + 1
        while True:
            try:
                await self.collection.insert_one(
                    {
                        "_id": f"{kind.value}-{year}-{n}",
                        "kind": kind.value,
                        "year": year,
                        "n": n,
                        "holder": holder,
                        "at": now_utc(),
                    }
                )
                return n
            except DuplicateKeyError:
                n += 1

    async def highest(self, kind: CaseKind, year: int) -> int:
        found = self.collection.find({"kind": kind.value, "year": year}).sort("n", -1).limit(1)
        return max([int(doc["n"]) async for doc in found], default=0)
