"""The live agency registry in the gateway's database: seeded from YAML, changed by the admin API.

The router and the HTTP edge read it through ``current()``, which re-reads the store at most
every ``refresh_s`` seconds, so a change made on one gateway replica reaches the others soon.
"""

from __future__ import annotations

import time
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage.mongo import Document
from gateway.domain.registry import Agency, Registry

COLLECTION = "agencies"


class RegistryStore:
    def __init__(self, db: AsyncDatabase[Document], *, refresh_s: float = 2.0) -> None:
        self._agencies = db[COLLECTION]
        self._refresh_s = refresh_s
        self._cached: Registry | None = None
        self._read_at = 0.0
        # Bumped by every write: a read that was under way meanwhile must not be cached, or a
        # stale registry (say, an agency still disabled) would stand for refresh_s after the
        # write that changed it.
        self._writes = 0

    async def seed(self, registry: Registry) -> None:
        """Add the seed's agencies the store does not hold yet; never overwrite a live entry."""
        held = {doc["_id"] async for doc in self._agencies.find({}, {"_id": 1})}
        fresh = [_doc(a, generation=1) for a in registry.agencies if a.id not in held]
        if fresh:
            await self._agencies.insert_many(fresh, ordered=False)
        self._invalidate()

    async def current(self) -> Registry:
        if self._cached is not None and time.monotonic() - self._read_at <= self._refresh_s:
            return self._cached
        writes, started = self._writes, time.monotonic()
        docs = [doc async for doc in self._agencies.find({})]
        agencies = [Agency.model_validate(doc["agency"]) for doc in docs]
        read = Registry(version="live", agencies=sorted(agencies, key=lambda a: a.id))
        if writes == self._writes:
            self._cached, self._read_at = read, started
        return read

    def _invalidate(self) -> None:
        self._writes += 1
        self._cached = None

    async def put(self, agency: Agency) -> bool:
        """Add or replace an entry (its credentials stay); True if it was new."""
        old = await self._agencies.find_one({"_id": agency.id})
        generation = 1 if old is None else int(old.get("generation", 1))
        await self._agencies.replace_one(
            {"_id": agency.id}, _doc(agency, generation=generation), upsert=True
        )
        self._invalidate()
        return old is None

    async def set_disabled(self, agency_id: str, disabled: bool) -> Agency | None:
        doc = await self._agencies.find_one({"_id": agency_id})
        if doc is None:
            return None
        agency = Agency.model_validate(doc["agency"]).model_copy(update={"disabled": disabled})
        await self.put(agency)
        return agency

    async def generation(self, agency_id: str) -> int | None:
        """The agency's credential generation; None if there is no such agency."""
        doc = await self._agencies.find_one({"_id": agency_id}, {"generation": 1})
        return None if doc is None else int(doc.get("generation", 1))

    async def rotate(self, agency_id: str) -> int | None:
        """Start a new credential generation, revoking the old client secret."""
        doc = await self._agencies.find_one({"_id": agency_id})
        if doc is None:
            return None
        generation = int(doc.get("generation", 1)) + 1
        await self._agencies.replace_one({"_id": agency_id}, {**doc, "generation": generation})
        return generation


def _doc(agency: Agency, *, generation: int) -> dict[str, Any]:
    return {"_id": agency.id, "agency": agency.model_dump(mode="json"), "generation": generation}
