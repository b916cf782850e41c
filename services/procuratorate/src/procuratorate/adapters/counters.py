"""Numbers handed out in sequence (听证 TZ-2026-0001, 救助 JZ-2026-0001), one series per kind
and year. Each number is taken by inserting ``{_id: "<kind>-<year>-<n>"}``: an insert on a unique
``_id`` is atomic on MongoDB and FerretDB alike (FerretDB's ``update_one`` is not), so two
replicas never hand out the same number; the loser of a race takes the next one."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from fengqiao.storage import IndexSpec
from fengqiao.storage.mongo import Document

COUNTERS = "counters"
INDEXES = [IndexSpec(COUNTERS, (("series", 1),))]


async def next_number(db: AsyncDatabase[Document], kind: str, year: int) -> int:
    """The next free number of ``kind`` in ``year``, taken for good."""
    series = f"{kind}-{year}"
    top = await db[COUNTERS].find_one({"series": series}, sort=[("n", -1)])
    n = 1 if top is None else int(top["n"]) + 1
    while True:
        try:
            await db[COUNTERS].insert_one({"_id": f"{series}-{n}", "series": series, "n": n})
            return n
        except DuplicateKeyError:
            n += 1
