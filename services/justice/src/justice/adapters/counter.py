"""Numbers handed out in sequence (协议书编号): one insert per number into ``counters``.

An insert on a unique ``_id`` is atomic on MongoDB and FerretDB alike, whereas FerretDB's
``update_one`` is a read-then-write two writers can both win; so the n-th number of a year is
the document ``<kind>-<year>-<n>``, and whoever inserts it owns n. A writer that loses the race
tries the next n.
"""

from __future__ import annotations

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from fengqiao.clock import now_utc
from fengqiao.storage import ConcurrencyError
from fengqiao.storage.mongo import Document


async def next_number(
    counters: AsyncCollection[Document], kind: str, year: int, *, attempts: int = 100
) -> int:
    """The next free number of ``kind`` in ``year``, taken for good (1 for the first)."""
    highest = await counters.find_one({"kind": kind, "year": year}, sort=[("n", -1)])
    n = 1 if highest is None else int(highest["n"]) + 1
    for _ in range(attempts):
        try:
            await counters.insert_one(
                {
                    "_id": f"{kind}-{year}-{n}",
                    "kind": kind,
                    "year": year,
                    "n": n,
                    "at": now_utc(),
                }
            )
            return n
        except DuplicateKeyError:
            n += 1
    raise ConcurrencyError(f"no free {kind} number in {year} after {attempts} tries")
