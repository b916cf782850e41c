"""The one repository pattern: aggregates saved whole, guarded by a version, with their outbox.

A save matches on the version it read; if anyone saved in between, nothing is written and
ConcurrencyError is raised, so a lost update is impossible. Events the change must send are
pushed to the same document in the same write (the outbox), so state and messages never diverge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from fengqiao.messaging.outbox import OutboxMessage
from fengqiao.storage.mongo import Document

# Fields the infrastructure keeps on a document, never part of the domain model.
OUTBOX = "outbox"
INBOX = "inbox"
VERSION = "version"

class ConcurrencyError(Exception):
    """Someone else saved the aggregate since it was read; reload and retry."""

class NotFound(Exception):
    pass

class Aggregate(BaseModel):
    """Base of every stored aggregate: an id and the version it was read at."""

    id: str
    version: int = 0

A = TypeVar("A", bound=Aggregate)

class Repository(Generic[A]):

    def __init__(self, collection: AsyncCollection[Document], model: type[A]) -> None:
        self.collection = collection
        self._model = model

    async def get(self, aggregate_id: str) -> A:
        doc = await self.collection.find_one({"_id": aggregate_id}, {OUTBOX: 0, INBOX: 0})
        if doc is None:
            raise NotFound(f"{self.collection.name} {aggregate_id} not found")
        return self._from_doc(doc)

    async def add(self, aggregate: A, events: Sequence[OutboxMessage] = ()) -> A:
        """Insert a new aggregate at version 1; raises ConcurrencyError if the id exists."""
        doc = self._to_doc(aggregate)
        doc[VERSION] = 1
        doc[OUTBOX] = [e.to_doc() for e in events]
        doc[INBOX] = []
        try:
            await self.collection.insert_one(doc)
        except DuplicateKeyError:
            raise ConcurrencyError(f"{self.collection.name} {aggregate.id} exists") from None
        return aggregate.model_copy(update={"version": 1})

    async def save(self, aggregate: A, events: Sequence[OutboxMessage] = ()) -> A:
        """Write the aggregate if it is still at the version it was read; bump the version."""
        fields = self._to_doc(aggregate)
        fields.pop("_id")
        fields.pop(VERSION)
        update: dict[str, Any] = {"$set": fields, "$inc": {VERSION: 1}}
        if events:
            update["$push"] = {OUTBOX: {"$each": [e.to_doc() for e in events]}}
        result = await self.collection.update_one(
            {"_id": aggregate.id, VERSION: aggregate.version}, update
        )
        if result.matched_count != 1:
            raise ConcurrencyError(
                f"{self.collection.name} {aggregate.id} changed since version {aggregate.version}"
            )
        return aggregate.model_copy(update={"version": aggregate.version + 1})

    def _to_doc(self, aggregate: A) -> Document:
        doc = aggregate.model_dump(mode="python")
        doc["_id"] = doc.pop("id")
        return doc

    def _from_doc(self, doc: Document) -> A:
        doc = dict(doc)
        doc["id"] = doc.pop("_id")
        return self._model.model_validate(doc)
