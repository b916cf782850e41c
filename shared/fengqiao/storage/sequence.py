"""Numbers handed out in sequence (案号, 协议书编号, 听证编号, ...): one series per kind and year.

The n-th number of a series is the document ``{_id: "<kind>-<year>-<n>"}``, and whoever inserts
it owns n: an insert on a unique ``_id`` is atomic on MongoDB and FerretDB alike, whereas
FerretDB's ``update_one`` increment is a read-then-write two writers can both win. A writer that
loses the race tries n+1. A number may be taken for a holder (the matter it is for), so a
retried step gets its own number back instead of leaving a gap.

A series is found by its ``_id`` prefix alone, so numbers stored before this module (with
``kind`` and ``year``, or with ``series``, beside ``n``) continue where they stopped.
"""

from __future__ import annotations

import re

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from fengqiao.clock import now_utc
from fengqiao.storage.errors import ConcurrencyError
from fengqiao.storage.mongo import Document


class Sequence:
    """The running numbers kept in one collection, one series per kind and year, from 1."""

    def __init__(self, collection: AsyncCollection[Document], *, attempts: int = 100) -> None:
        self.collection = collection
        self.attempts = attempts

    async def take(self, kind: str, year: int, *, holder: str | None = None) -> int:
        """The next free number of ``kind`` in ``year``, taken for good; with ``holder``, the
        number it holds already if it has one."""
        if holder is not None:
            held = await self.collection.find_one({"_id": _of(kind, year), "holder": holder})
            if held is not None:
                return int(held["n"])
        n = await self.highest(kind, year) + 1
        for _ in range(self.attempts):
            try:
                await self.collection.insert_one(_number(kind, year, n, holder))
                return n
            except DuplicateKeyError:
                n += 1
        raise ConcurrencyError(f"no free {kind} number in {year} after {self.attempts} tries")

    async def highest(self, kind: str, year: int) -> int:
        """The highest number of ``kind`` in ``year`` taken so far (0 for none)."""
        top = await self.collection.find_one({"_id": _of(kind, year)}, sort=[("n", -1)])
        return 0 if top is None else int(top["n"])


def _of(kind: str, year: int) -> Document:
    """The ``_id`` condition of the series' numbers: ``<kind>-<year>-`` and digits."""
    return {"$regex": f"^{re.escape(f'{kind}-{year}-')}[0-9]+$"}


def _number(kind: str, year: int, n: int, holder: str | None) -> Document:
    series = f"{kind}-{year}"
    doc: Document = {
        "_id": f"{series}-{n}",
        "series": series,
        "kind": kind,
        "year": year,
        "n": n,
        "at": now_utc(),
    }
    if holder is not None:
        doc["holder"] = holder
    return doc
