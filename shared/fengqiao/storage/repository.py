"""The one repository pattern: aggregates saved whole, guarded by a version, with their outbox.

A save is decided by one atomic write: inserting ``<id>:<version>`` into ``<name>_commits``,
holding the new state and the events it must send. An insert on a unique ``_id`` is atomic on
MongoDB and on FerretDB alike, whereas FerretDB's conditional ``update_one`` is a read-then-write
that two writers can both win (measured: up to 5 of 20 concurrent "version == 1" updates
matched). Only the writer whose commit insert succeeds then writes the aggregate's document
(materialises it), so a lost update is impossible.

Commits with events are announced in ``<name>_outbox`` *before* the commit is inserted, so the
relay finds every one of them by scanning that small collection alone (FerretDB scans whole
collections for anything but an ``_id`` lookup). An announcement whose commit never came is an
orphan and is dropped; a commit whose writer died before materialising it is rolled forward.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from pydantic import BaseModel, Field
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from fengqiao.messaging.outbox import OutboxMessage
from fengqiao.storage.mongo import Document

VERSION = "version"
# A commit this old and still not materialised is taken as its writer's crash.
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
        self.outbox = collection.database[f"{collection.name}_outbox"]
        self._model = model

    async def find(self, aggregate_id: str) -> A | None:
        doc = await self.collection.find_one({"_id": aggregate_id})
        return None if doc is None else self._from_doc(doc)

    async def get(self, aggregate_id: str) -> A:
        found = await self.find(aggregate_id)
        if found is None:
            raise NotFound(f"{self.collection.name} {aggregate_id} not found")
        return found

    async def add(self, aggregate: A, events: Sequence[OutboxMessage] = ()) -> A:
        """Create the aggregate at version 1; ConcurrencyError if it exists."""
        return await self._commit(aggregate.model_copy(update={VERSION: 0}), events)

    async def save(self, aggregate: A, events: Sequence[OutboxMessage] = ()) -> A:
        """Write the aggregate if it is still at the version it was read; bump the version."""
        return await self._commit(aggregate, events)

    async def _commit(self, aggregate: A, events: Sequence[OutboxMessage]) -> A:
        version = aggregate.version + 1
        commit_id = f"{aggregate.id}:{version}"
        nonce = uuid.uuid4().hex
        now = datetime.now(UTC)
        if events:
            await self.outbox.insert_one(
                {
                    "_id": f"{commit_id}:{nonce}",
                    "commit": commit_id,
                    "nonce": nonce,
                    "aggregate": aggregate.id,
                    VERSION: version,
                    "at": now,
                }
            )
        commit = {
            "_id": commit_id,
            "aggregate": aggregate.id,
            VERSION: version,
            "nonce": nonce,
            "state": aggregate.model_dump(mode="python", exclude={"id", VERSION}),
            "events": [e.to_doc() for e in events],
            "at": now,
        }
        try:
            await self.commits.insert_one(commit)
        except DuplicateKeyError:
            if events:
                await self.outbox.delete_one({"_id": f"{commit_id}:{nonce}"})
            await self.roll_forward(aggregate.id)
            raise ConcurrencyError(
                f"{self.collection.name} {aggregate.id} changed since version {aggregate.version}"
            ) from None
        await self.materialise(commit)
        return aggregate.model_copy(update={VERSION: version})

    async def materialise(self, commit: Document) -> None:
        """Write a commit's state to the aggregate's document (idempotent)."""
        state = {**commit["state"], VERSION: commit[VERSION]}
        if commit[VERSION] == 1:
            with contextlib.suppress(DuplicateKeyError):  # materialised already
                await self.collection.insert_one({"_id": commit["aggregate"], **state})
            return
        await self.collection.update_one(
            {"_id": commit["aggregate"], VERSION: commit[VERSION] - 1}, {"$set": state}
        )

    async def commit(self, commit_id: str) -> Document | None:
        return await self.commits.find_one({"_id": commit_id})

    async def materialised_version(self, aggregate_id: str) -> int:
        doc = await self.collection.find_one({"_id": aggregate_id}, {VERSION: 1})
        return 0 if doc is None else int(doc[VERSION])

    async def roll_forward(self, aggregate_id: str) -> None:
        """Materialise any commit whose writer died before doing so."""
        while True:
            current = await self.materialised_version(aggregate_id)
            pending = await self.commit(f"{aggregate_id}:{current + 1}")
            if pending is None or datetime.now(UTC) - pending["at"] < ROLL_FORWARD_AFTER:
                return  # nothing pending, or its writer is probably still on its way
            await self.materialise(pending)

    def _from_doc(self, doc: Document) -> A:
        doc = dict(doc)
        doc["id"] = doc.pop("_id")
        return self._model.model_validate(doc)
