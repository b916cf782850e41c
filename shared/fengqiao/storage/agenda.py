"""When each aggregate next needs its timer, kept beside its collection (``<name>_agenda``) so a
timer's pass reads only what is due, however many closed aggregates the collection holds: the
store here answers anything but an ``_id`` lookup by reading the whole collection.

An entry is written with the state it comes from — before the document, by the writer that won
the commit, or by whoever rolls the commit forward — so no committed time is missed. Entries are
only hints: a timer's pass checks each due one against its document, and fixes or drops it.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from fengqiao.storage.mongo import Document

When = Callable[[Document], datetime | None]
_REMEMBERED = 100_000  # entries this process wrote lately: an unchanged time is not rewritten
_BUILT = "~built"  # marks an agenda filled from its collection (it has no time: never due)


class Agenda:
    def __init__(self, collection: AsyncCollection[Document], when: When) -> None:
        self.collection = collection
        self._when = when
        self._written: OrderedDict[str, datetime | None] = OrderedDict()
        self._built = False

    async def build(self, documents: AsyncCollection[Document]) -> None:
        """Fill the agenda from ``documents`` once, the first time it is used (a store written
        before agendas existed); later calls cost nothing."""
        if self._built or await self.collection.find_one({"_id": _BUILT}) is not None:
            self._built = True
            return
        async for document in documents.find({}):
            await self.note(str(document["_id"]), int(document.get("version", 0)), document)
        with contextlib.suppress(DuplicateKeyError):
            await self.collection.insert_one({"_id": _BUILT})
        self._built = True

    def time_of(self, state: Document) -> datetime | None:
        """The time the stored state asks its timer for (None: none)."""
        return self._when(state)

    async def note(self, aggregate_id: str, version: int, state: Document) -> None:
        """Keep the time of ``state`` (version ``version``) as the aggregate's entry."""
        at = self._when(state)
        if aggregate_id in self._written and self._written[aggregate_id] == at:
            self._written.move_to_end(aggregate_id)
            return
        if at is None:
            await self.collection.delete_one({"_id": aggregate_id})
        else:
            # An older version's entry written late must not overwrite a newer one.
            newer_only = {"_id": aggregate_id, "version": {"$lt": version}}
            try:
                await self.collection.update_one(
                    newer_only, {"$set": {"at": at, "version": version}}, upsert=True
                )
            except DuplicateKeyError:
                return  # a newer version's entry is there
        self._remember(aggregate_id, at)

    async def due(self, now: datetime) -> list[tuple[str, int]]:
        """(aggregate id, entry version) of the entries whose time has come, oldest first."""
        cursor = self.collection.find({"at": {"$lte": now}}).sort("at", 1)
        return [(str(doc["_id"]), int(doc.get("version", 0))) async for doc in cursor]

    async def correct(self, aggregate_id: str, document: Document | None, now: datetime) -> bool:
        """Check a due entry against the aggregate's document: True if its time has come;
        otherwise the entry is moved to the document's time, or dropped if it has none."""
        at = None if document is None else self._when(document)
        if at is not None and at <= now:
            return True
        if at is None:
            await self.collection.delete_one({"_id": aggregate_id})
        else:
            version = int(document["version"]) if document else 0
            await self.collection.update_one(
                {"_id": aggregate_id}, {"$set": {"at": at, "version": version}}
            )
        self._remember(aggregate_id, at)
        return False

    def _remember(self, aggregate_id: str, at: datetime | None) -> None:
        self._written[aggregate_id] = at
        self._written.move_to_end(aggregate_id)
        while len(self._written) > _REMEMBERED:
            self._written.popitem(last=False)
