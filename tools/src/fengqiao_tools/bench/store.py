"""The bench's footprint in the document store: what its cases wrote, copies of them that
pre-fill the store as a town's years of closed cases would, and their removal afterwards.

Copies are made from the warm-up's own cases (the hub's case and its commits, the tracking code,
the grid's task and its commits…), every id in them given a marker, so the store holds exactly
what the services would have written. Announcements (``*_outbox``) are never copied, and the
gateway's audit log is left whole: it is a hash chain, and only lookups by position read it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from typing import Any

from pymongo import AsyncMongoClient

Key = tuple[str, str]  # (database, collection)
Doc = dict[str, Any]
MARK = "~pf"
_LEFT_ALONE = (("fengqiao_gateway", "audit"),)
BATCH = 1000
ONE_BY_ONE = 20_000  # more written than this: the collection is restored, not deleted from


async def _collections(client: AsyncMongoClient[Doc]) -> list[Key]:
    found = []
    for db in await client.list_database_names():
        if not db.startswith("fengqiao"):
            continue
        for name in await client[db].list_collection_names():
            if not name.endswith("_outbox") and (db, name) not in _LEFT_ALONE:
                found.append((db, name))
    return sorted(found)


async def snapshot(client: AsyncMongoClient[Doc]) -> dict[Key, set[Any]]:
    """Every document's id, by collection: what was there before the bench."""
    held: dict[Key, set[Any]] = {}
    for db, name in await _collections(client):
        cursor = client[db][name].find({}, {"_id": 1})
        held[(db, name)] = {doc["_id"] async for doc in cursor}
    return held


async def written_since(
    client: AsyncMongoClient[Doc], before: dict[Key, set[Any]]
) -> dict[Key, list[Doc]]:
    """The documents created since ``before`` was taken, by collection."""
    new: dict[Key, list[Doc]] = {}
    for key in await _collections(client):
        held = before.get(key, set())
        docs = [d async for d in client[key[0]][key[1]].find({}) if d["_id"] not in held]
        if docs:
            new[key] = docs
    return new


def _roots(sample: dict[Key, list[Doc]]) -> list[str]:
    """The ids copies must not share: every string id outside the commit logs (case, task,
    tracking code…); a commit's id and every reference contain one of them."""
    roots = {
        d["_id"]
        for (_, name), docs in sample.items()
        if not name.endswith("_commits")
        for d in docs
        if isinstance(d["_id"], str)
    }
    return sorted(roots, key=len, reverse=True)  # longest first: a task id holds its case's


def _renamed(value: Any, pattern: re.Pattern[str], copy: int) -> Any:
    if isinstance(value, str):
        return pattern.sub(lambda m: f"{m.group(0)}{MARK}{copy}", value)
    if isinstance(value, dict):
        return {k: _renamed(v, pattern, copy) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, pattern, copy) for v in value]
    return value


def copies(sample: dict[Key, list[Doc]], n: int) -> Iterator[tuple[Key, list[Doc]]]:
    """Batches of ``n`` copies of the sample, ids marked ``~pf<k>`` (k = 0…n-1)."""
    roots = _roots(sample)
    if not roots:
        return
    pattern = re.compile("|".join(re.escape(r) for r in roots))
    for key, docs in sample.items():
        batch: list[Doc] = []
        for copy in range(n):
            batch.extend(_renamed(d, pattern, copy) for d in docs if isinstance(d["_id"], str))
            if len(batch) >= BATCH:
                yield key, batch
                batch = []
        if batch:
            yield key, batch


async def prefill(client: AsyncMongoClient[Doc], sample: dict[Key, list[Doc]], n: int) -> int:
    """Write ``n`` copies of the sample; returns the number of documents written."""
    written = 0
    for (db, name), batch in copies(sample, n):
        await client[db][name].insert_many(batch, ordered=False)
        written += len(batch)
    return written


async def settled(
    client: AsyncMongoClient[Doc], *, quiet_s: float = 2.0, limit_s: float = 60.0
) -> None:
    """Wait (bounded) until no service has an event left to send for ``quiet_s``: the last
    notices of the closed cases (the grid's copy of the closure) have then been applied."""
    outboxes = [
        client[db][name]
        for db in await client.list_database_names()
        if db.startswith("fengqiao")
        for name in await client[db].list_collection_names()
        if name.endswith("_outbox")
    ]
    deadline = time.monotonic() + limit_s
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        if any([await o.find_one({}, {"_id": 1}) is not None for o in outboxes]):
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        await asyncio.sleep(0.2)


async def clean(client: AsyncMongoClient[Doc], before: dict[Key, set[Any]]) -> int:
    """Remove every document written since ``before`` (the bench's cases and its copies);
    returns how many. A few are deleted one by one; a collection the copies fill is restored
    instead (what was there before, written back into a new collection with its indexes), since
    the store here deletes by anything but one ``_id`` with a scan of the whole collection."""
    await settled(client)
    removed = 0
    for db, name in await _collections(client):
        collection = client[db][name]
        held = before.get((db, name), set())
        ids = [doc["_id"] async for doc in collection.find({}, {"_id": 1})]
        written = [i for i in ids if i not in held]
        if len(written) <= ONE_BY_ONE:
            await _delete_each(collection, written)
        else:
            await _restore(collection, held)
        removed += len(written)
    return removed


async def _delete_each(collection: Any, ids: list[Any]) -> None:
    limit = asyncio.Semaphore(8)

    async def delete(doc_id: Any) -> None:
        async with limit:
            await collection.delete_one({"_id": doc_id})

    await asyncio.gather(*(delete(i) for i in ids))


async def _restore(collection: Any, held: set[Any]) -> None:
    indexes = [i async for i in await collection.list_indexes() if i["name"] != "_id_"]
    kept = [doc async for doc in collection.find({}) if doc["_id"] in held]
    await collection.drop()
    for index in indexes:
        await collection.create_index(
            list(index["key"].items()), name=index["name"], unique=index.get("unique", False)
        )
    for start in range(0, len(kept), BATCH):
        await collection.insert_many(kept[start : start + BATCH], ordered=False)
