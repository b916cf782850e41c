"""The one repository pattern: aggregates saved whole, guarded by a version, with their outbox.

A save is decided by one atomic write: inserting ``<id>:<version>`` into ``<name>_commits``,
holding the new state and the events it must send. An insert on a unique ``_id`` is atomic on
MongoDB and on FerretDB alike, whereas FerretDB's conditional ``update_one`` is a read-then-write
that two writers can both win (measured: up to 5 of 20 concurrent "version == 1" updates
matched). Only the writer whose commit insert succeeds then writes the aggregate's document
(materialises it), so a lost update is impossible.

Every commit, with events or without, is announced in ``<name>_outbox`` *before* it is inserted,
so the relay finds every one of them by scanning that small collection alone (FerretDB scans
whole collections for anything but an ``_id`` lookup). An announcement stays until its commit is
in the document and its events are sent: the writer of a commit without events drops its own
announcement once it has written the document, so the relay normally sees only commits with
events; whatever else it finds, it rolls forward, publishes (nothing, for a commit without
events) and drops. So every committed version reaches the document, and with it what queries on
the collection read, without anyone reading that aggregate by id, provided the service's relay
covers the repository (``repositories_of``). An announcement whose commit never came is an
orphan: the relay seals that version (its stalled writer can no longer take it) and drops it; a
creation cannot be sealed, so the relay gives its writer long to come back if it has events to
send, and drops it as soon as any other orphan if it has none.

A relay running in the writer's process watches its repositories: each commit is handed to it
as made (the relay then publishes at once, without reading it back, and drops the announcement,
events or not); the relay's scan of the announcements stays what decides, and finds the rest.

Reads by id return the latest commit even before its writer has written the document, and reads
and the relay roll forward a commit whose writer died before doing so; a seal, which has no
writer, is rolled forward at once.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from fengqiao.aggregate import Aggregate
from fengqiao.messaging.outbox import OutboxMessage
from fengqiao.storage.agenda import Agenda, When
from fengqiao.storage.errors import ConcurrencyError, NotFound
from fengqiao.storage.mongo import Document, to_bson
from fengqiao.storage.sealing import PartySeal

log = logging.getLogger(__name__)
VERSION = "version"
# A commit this old and still not materialised is taken as its writer's crash.
ROLL_FORWARD_AFTER = timedelta(seconds=5)


A = TypeVar("A", bound=Aggregate)
CommitWatcher = Callable[[str, Document | None], None]


class Repository(Generic[A]):
    def __init__(
        self,
        collection: AsyncCollection[Document],
        model: type[A],
        *,
        seal: PartySeal | None = None,
        agenda: When | None = None,
    ) -> None:
        self.collection = collection
        self._seal = seal
        self.commits = collection.database[f"{collection.name}_commits"]
        self.outbox = collection.database[f"{collection.name}_outbox"]
        self._model = model
        self.agenda = (
            None
            if agenda is None
            else Agenda(collection.database[f"{collection.name}_agenda"], agenda)
        )
        self._watchers: list[CommitWatcher] = []

    async def find(self, aggregate_id: str) -> A | None:
        """The latest committed state: the document, or a newer commit not yet written to it
        (its writer is on its way, slow, or dead), which is then rolled forward.

        Always both lookups: a read of the document alone was tried and let a step act on a
        state one version old (a writer skipping its write when slow leaves the document
        behind, and a later update of a document not yet created writes nothing)."""
        doc = await self.collection.find_one({"_id": aggregate_id})
        # No document yet may still be a creation whose writer died before writing it.
        version = 0 if doc is None else int(doc[VERSION])
        latest: Document | None = None
        while (newer := await self.commit(f"{aggregate_id}:{version + 1}")) is not None:
            latest, version = newer, int(newer[VERSION])
            doc = {"_id": aggregate_id, **newer["state"], VERSION: version}
        if latest is not None:
            await self.roll_forward(aggregate_id)
        return None if doc is None else self.from_doc(doc)

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
        started = time.monotonic()
        note_id = f"{commit_id}:{nonce}"
        # Announced first, events or not: a commit the relay cannot find could stay unwritten.
        await self.outbox.insert_one(
            {
                "_id": note_id,
                "commit": commit_id,
                "nonce": nonce,
                "aggregate": aggregate.id,
                VERSION: version,
                "events": len(events),
                "at": now,
            }
        )
        commit: Document = {
            "_id": commit_id,
            "aggregate": aggregate.id,
            VERSION: version,
            "nonce": nonce,
            "state": self._stored(aggregate),
            "events": [e.to_doc() for e in events],
            "at": now,
        }
        try:
            await self.commits.insert_one(commit)
        except DuplicateKeyError:
            await self.outbox.delete_one({"_id": note_id})
            await self.roll_forward(aggregate.id)
            raise ConcurrencyError(
                f"{self.collection.name} {aggregate.id} changed since version {aggregate.version}"
            ) from None
        written = False
        try:
            if time.monotonic() - started < ROLL_FORWARD_AFTER.total_seconds() / 2:
                if self.agenda is not None:  # before the document: no time goes unkept
                    await self.agenda.note(aggregate.id, version, commit["state"])
                await self.materialise(commit, guarded=False)
                written = True
                if await self.commit(f"{aggregate.id}:{version + 1}") is not None:
                    # A writer that read our commit before we wrote it is ahead, and our late
                    # write may have landed over its version: put its state back.
                    await self.roll_forward(aggregate.id, young_too=True)
            # else: this writer was so slow that others may roll its commit forward any moment;
            # leave it to them, since they write only if the document is still one version behind
        except Exception:
            # The change is committed; saying otherwise would make a client retry it. The
            # relay (or the next writer) rolls the document forward.
            log.warning("commit %s saved but not yet written; will roll forward", commit_id)
        if self._watchers:
            # A relay runs in this process: hand it the commit, written or not, so it publishes
            # (and drops the announcement) without reading back what we hold.
            for watcher in self._watchers:
                watcher(note_id, commit if written else None)
        elif written and not events:
            try:  # nothing left for the relay to do with this commit
                await self.outbox.delete_one({"_id": note_id})
            except Exception:
                log.info("announcement of %s left for the relay to drop", commit_id)
        return aggregate.model_copy(update={VERSION: version})

    def watch(self, watcher: CommitWatcher) -> Callable[[], None]:
        """Call ``watcher(announcement id, commit)`` after every commit this process makes (the
        commit None if its document is not written yet); returns the call that stops it."""
        self._watchers.append(watcher)
        return lambda: self._watchers.remove(watcher)

    async def seal(self, commit_id: str) -> bool:
        """Take version ``<id>:<v>`` for nobody, so a writer that announced it but stalled can no
        longer commit it. True if sealed; False if a commit already holds it."""
        aggregate_id, _, version = commit_id.rpartition(":")
        before = await self.commit(f"{aggregate_id}:{int(version) - 1}")
        if before is None:
            # Version 1 (a creation) or a gap: there is no state to seal with. A creation that
            # never committed overwrites nothing, so it needs no seal; leave the announcement.
            return False
        state = before["state"]
        seal = {
            "_id": commit_id,
            "aggregate": aggregate_id,
            VERSION: int(version),
            "nonce": "sealed",
            "state": state,
            "events": [],
            "at": datetime.now(UTC),
            "sealed": True,
        }
        try:
            await self.commits.insert_one(seal)
        except DuplicateKeyError:
            return False
        await self.roll_forward(aggregate_id)
        return True

    async def materialise(self, commit: Document, *, guarded: bool = True) -> None:
        """Write a commit's state to the aggregate's document (idempotent).

        ``guarded`` writes only over the version before (what a roll-forward needs). The writer
        that just won the commit may skip the guard: its insert made it the only one entitled to
        this version, and an `_id`-only filter is the one FerretDB answers from its index.
        """
        state = {**commit["state"], VERSION: commit[VERSION]}
        if guarded and self.agenda is not None:  # a roll-forward: keep its time first
            await self.agenda.note(commit["aggregate"], commit[VERSION], commit["state"])
        if commit[VERSION] == 1:
            with contextlib.suppress(DuplicateKeyError):  # materialised already
                await self.collection.insert_one({"_id": commit["aggregate"], **state})
            return
        where: Document = {"_id": commit["aggregate"]}
        if guarded:
            where[VERSION] = commit[VERSION] - 1
        await self.collection.update_one(where, {"$set": state})

    async def due(self, now: datetime) -> list[str]:
        """The ids of the aggregates whose agenda time has come, each checked against its
        document (a stale entry is corrected, not returned)."""
        if self.agenda is None:
            raise TypeError(f"{self.collection.name} keeps no agenda")
        await self.agenda.build(self.collection)
        due = []
        for aggregate_id, _ in await self.agenda.due(now):
            document = await self.collection.find_one({"_id": aggregate_id})
            if await self.agenda.correct(aggregate_id, document, now):
                due.append(aggregate_id)
        return due

    async def commit(self, commit_id: str) -> Document | None:
        return await self.commits.find_one({"_id": commit_id})

    async def materialised_version(self, aggregate_id: str) -> int:
        doc = await self.collection.find_one({"_id": aggregate_id}, {VERSION: 1})
        return 0 if doc is None else int(doc[VERSION])

    async def roll_forward(self, aggregate_id: str, *, young_too: bool = False) -> None:
        """Materialise any commit whose writer died before doing so (``young_too``: also one
        whose writer may still be on its way; it writes the same state)."""
        while True:
            current = await self.materialised_version(aggregate_id)
            pending = await self.commit(f"{aggregate_id}:{current + 1}")
            if pending is None:
                return
            young = datetime.now(UTC) - pending["at"] < ROLL_FORWARD_AFTER
            if young and not young_too and not pending.get("sealed"):
                return  # its writer is probably still on its way (a seal has no writer)
            await self.materialise(pending)

    def from_doc(self, doc: Document) -> A:
        doc = dict(doc)
        doc["id"] = doc.pop("_id")
        if self._seal is not None:
            doc = self._seal.open(doc, context=doc["id"])
        return self._model.model_validate(doc)

    def _stored(self, aggregate: A) -> Document:
        state = to_bson(aggregate.model_dump(mode="python", exclude={"id", VERSION}))
        return state if self._seal is None else self._seal.seal(state, context=aggregate.id)


def repositories_of(*holders: object) -> list[Repository[Any]]:
    """Every repository ``holders`` keep as attributes, once each: what a service's relay must
    cover (``Wiring.outbox``), since any commit of any of them, with events or not, may be one
    whose writer died before writing the document."""
    found: dict[int, Repository[Any]] = {}
    for holder in holders:
        for value in vars(holder).values():
            if isinstance(value, Repository):
                found.setdefault(id(value), value)
    return list(found.values())
