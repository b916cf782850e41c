"""Where the adapter keeps one sync record per upstream event, the inputs it could not even
name (garbage without an event id), and its pull cursor."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.aggregate import Aggregate
from fengqiao.storage import IndexSpec, Repository, party_seal
from fengqiao.storage.mongo import Document
from platform_adapter.domain.codes import RejectReason, SyncState
from platform_adapter.domain.dedupe import Facts
from platform_adapter.domain.sync import SyncRecord

RECORDS, REJECTIONS, STATE = "sync_records", "rejected_inputs", "sync_state"
INDEXES = [
    IndexSpec(RECORDS, (("case_id", 1),)),
    IndexSpec(RECORDS, (("duplicate_of", 1),)),
    IndexSpec(RECORDS, (("state", 1),)),
    IndexSpec(RECORDS, (("received_at", 1),)),
]
LINKED = [SyncState.FORWARDED.value, SyncState.REGISTERED.value, SyncState.CLOSED.value]


class RejectedInput(Aggregate):
    """Upstream input with no usable event id: kept with the reason, under a hash of itself."""

    reason_code: RejectReason
    reason: str
    excerpt: str
    received_at: datetime


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
