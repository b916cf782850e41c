"""Where the adapter keeps one sync record per upstream event, the inputs it could not even
name (garbage without an event id), and its pull cursor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage import IndexSpec, Page, Repository, newest_first, party_seal
from fengqiao.storage.mongo import Document
from platform_adapter.domain.codes import SyncState
from platform_adapter.domain.dedupe import Facts
from platform_adapter.domain.rejections import RejectedInput
from platform_adapter.domain.sync import SyncRecord

RECORDS, REJECTIONS, STATE = "sync_records", "rejected_inputs", "sync_state"
INDEXES = [
    IndexSpec(RECORDS, (("case_id", 1),)),
    IndexSpec(RECORDS, (("duplicate_of", 1),)),
    IndexSpec(RECORDS, (("state", 1),)),
    IndexSpec(RECORDS, (("received_at", 1),)),
]
LINKED = [SyncState.FORWARDED.value, SyncState.REGISTERED.value, SyncState.CLOSED.value]
SYNCED = [*LINKED, SyncState.DUPLICATE.value]


class Stores:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.records = Repository(db[RECORDS], SyncRecord, seal=party_seal("platform"))
        self.rejections = Repository(db[REJECTIONS], RejectedInput)
        self._state = db[STATE]

    async def cursor(self) -> str | None:
        doc = await self._state.find_one({"_id": "cursor"})
        return None if doc is None else str(doc["after"])

    async def keep_cursor(self, after: str) -> None:
        # One puller writes it; a replaced document is the whole of its state.
        await self._state.replace_one({"_id": "cursor"}, {"after": after}, upsert=True)

    async def where(self, where: dict[str, Any]) -> list[SyncRecord]:
        return [self.records.from_doc(d) async for d in self.records.collection.find(where)]

    async def record_page(
        self, states: list[SyncState] | None, *, after: str | None, limit: int
    ) -> Page[SyncRecord]:
        """A page of records in any of ``states`` (all, if none), newest received first."""
        where: dict[str, Any] = {"state": {"$in": [s.value for s in states]}} if states else {}
        return await newest_first(self.records, where, by="received_at", after=after, limit=limit)

    async def rejection_page(self, *, after: str | None, limit: int) -> Page[RejectedInput]:
        """A page of the inputs kept without an event id, newest received first."""
        return await newest_first(self.rejections, {}, by="received_at", after=after, limit=limit)

    async def recent_like(self, facts: Facts, window: timedelta) -> list[Facts]:
        """Earlier events with the same phone, area and category around ``facts``' time."""
        if facts.phone is None:
            return []
        where = {
            "facts.phone": facts.phone,
            "facts.area_code": facts.area_code,
            "facts.category": facts.category.value,
            "state": {"$in": LINKED},
        }
        found = [r.dedupe_facts() for r in await self.where(where)]
        near = [f for f in found if f and abs(f.reported_at - facts.reported_at) <= window]
        return [f for f in near if f.event_id != facts.event_id]
