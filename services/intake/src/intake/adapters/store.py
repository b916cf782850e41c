"""Where the hub keeps its cases: the shared repository, a tracking-code index, and queries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from fengqiao.storage import IndexSpec, Repository
from fengqiao.storage.mongo import Document
from intake.domain.case import Case

CASES = "cases"
TRACKING = "tracking_codes"
EXTERNAL_REFS = "external_refs"
INDEXES = [
    IndexSpec(CASES, (("next_check_at", 1),)),
    IndexSpec(CASES, (("status", 1),)),
    IndexSpec(CASES, (("registered_at", 1),)),
]


def case_repository(db: AsyncDatabase[Document]) -> Repository[Case]:
    # The supervisor's clock is each case's next check: kept in the case's agenda.
    return Repository(db[CASES], Case, agenda=lambda case: case.get("next_check_at"))


class CaseKeys:
    """A key → case id map (tracking codes; reporters' own ids), answered by ``_id`` lookups.

    A key is claimed before its case is added: a crash in between leaves a key pointing at no
    case, which reads as "not found" and is claimed again by the retry.
    """

    def __init__(self, db: AsyncDatabase[Document], name: str) -> None:
        self._keys = db[name]

    async def claim(self, key: str, case_id: str) -> str:
        """The case the key belongs to: ``case_id`` if it was free, else its earlier owner."""
        try:
            await self._keys.insert_one({"_id": key, "case": case_id})
            return case_id
        except DuplicateKeyError:
            owner = await self.case_of(key)
            return owner or case_id

    async def case_of(self, key: str) -> str | None:
        found = await self._keys.find_one({"_id": key})
        return None if found is None else str(found["case"])


async def due_for_supervision(cases: Repository[Case], now: datetime) -> list[str]:
    return await cases.due(now)


async def query_cases(
    cases: Repository[Case], where: dict[str, Any], *, after: str | None, limit: int
) -> list[Case]:
    """A page of cases, newest first (case ids sort by registration time)."""
    if after is not None:
        where = {"$and": [where, {"_id": {"$lt": after}}]}
    cursor = cases.collection.find(where).sort("_id", -1).limit(limit)
    return [cases.from_doc(doc) async for doc in cursor]


async def all_cases(cases: Repository[Case], where: dict[str, Any]) -> AsyncIterator[Case]:
    async for doc in cases.collection.find(where):
        yield cases.from_doc(doc)
