"""The one repository pattern: aggregates saved whole, guarded by a version, with their outbox.

Every change is first *committed* by inserting ``<id>:<version>`` into the ``<name>_commits``
collection. An insert on a unique ``_id`` is atomic on MongoDB and on FerretDB alike, whereas
FerretDB's conditional ``update_one`` is a read-then-write that two writers can both win
(measured: up to 5 of 20 concurrent "version == 1" updates matched). So only the writer whose
commit insert succeeds may then write the document (materialise it). A lost update is impossible;
a writer that dies between its commit and its write is rolled forward by the next writer that
runs into its commit. The commit carries the new state and the events to send (the outbox), so
state and messages still change in one atomic write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from pydantic import BaseModel, Field
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from fengqiao.messaging.outbox import OutboxMessage
from fengqiao.storage.mongo import Document

OUTBOX = "outbox"
VERSION = "version"
# A commit older than this whose document was never written is taken as its writer's crash.
ROLL_FORWARD_AFTER = timedelta(seconds=5)


class ConcurrencyError(Exception):
    """Someone else saved the aggregate since it was read; reload and retry."""


class NotFound(Exception):
    pass


class Aggregate(BaseModel):
    """Base of every stored aggregate: its id, the version it was read at, applied event ids."""

    id: str
    version: int = 0
    inbox: list[str] = Field(default_factory=list, description="ids of events applied to it")


A = TypeVar("A", bound=Aggregate)


class Repository(Generic[A]):
    def __init__(self, collection: AsyncCollection[Document], model: type[A]) -> None:
        self.collection = collection
        self.commits = collection.database[f"{collection.name}_commits"]
        self._model = model

    async def find(self, aggregate_id: str) -> A | None:
        doc = await self.collection.find_one({"_id": aggregate_id}, {OUTBOX: 0})
        return None if doc is None else self._from_doc(doc)

    async def get(self, aggregate_id: str) -> A:
        found = await self.find(aggregate_id)
        if found is None:
            raise NotFound(f"{self.collection.name} {aggregate_id} not found")
        return found

    async def add(self, aggregate: A, events: Sequence[OutboxMessage] = ()) -> A:
        """Insert a new aggregate at version 1; raises ConcurrencyError if the id exists."""
        doc = self._state(aggregate)
        doc.update({"_id": aggregate.id, VERSION: 1, OUTBOX: [e.to_doc() for e in events]})
        try:
            await self.collection.insert_one(doc)
        except DuplicateKeyError:
            raise ConcurrencyError(f"{self.collection.name} {aggregate.id} exists") from None
        return aggregate.model_copy(update={VERSION: 1})

    async def save(self, aggregate: A, events: Sequence[OutboxMessage] = ()) -> A:
        """Write the aggregate if it is still at the version it was read; bump the version."""
        version = aggregate.version + 1
        commit = {
            "_id": f"{aggregate.id}:{version}",
            "aggregate": aggregate.id,
            VERSION: version,
            "state": self._state(aggregate),
            OUTBOX: [e.to_doc() for e in events],
            "at": datetime.now(UTC),
        }
        try:
            await self.commits.insert_one(commit)
        except DuplicateKeyError:
            await self._roll_forward(aggregate.id)
            raise ConcurrencyError(
                f"{self.collection.name} {aggregate.id} changed since version {aggregate.version}"
            ) from None
        await self._materialise(commit)
        return aggregate.model_copy(update={VERSION: version})

    async def _materialise(self, commit: Document) -> None:
        await self.collection.update_one(
            {"_id": commit["aggregate"], VERSION: commit[VERSION] - 1},
            {
                "$set": {**commit["state"], VERSION: commit[VERSION]},
                "$push": {OUTBOX: {"$each": commit[OUTBOX]}},
            },
        )

    async def _roll_forward(self, aggregate_id: str) -> None:
        """Write any commit whose writer died before writing the document."""
        while True:
            doc = await self.collection.find_one({"_id": aggregate_id}, {VERSION: 1})
            if doc is None:
                return
            pending = await self.commits.find_one({"_id": f"{aggregate_id}:{doc[VERSION] + 1}"})
            if pending is None:
                return
            age = datetime.now(UTC) - pending["at"]
            if age < ROLL_FORWARD_AFTER:
                # Its writer is probably still on its way; give it the chance to finish.
                await asyncio.sleep(0.01)
                return
            await self._materialise(pending)

    def _state(self, aggregate: A) -> Document:
        return aggregate.model_dump(mode="python", exclude={"id", VERSION})

    def _from_doc(self, doc: Document) -> A:
        doc = dict(doc)
        doc["id"] = doc.pop("_id")
        return self._model.model_validate(doc)


