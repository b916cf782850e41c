"""Apply a consumed event at most once: the effect and the event id go in one document update."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

INBOX = "inbox"


async def apply_once(
    collection: AsyncCollection[dict[str, Any]],
    *,
    doc_id: Any,
    event_id: str,
    update: dict[str, Any],
    upsert: bool = False,
) -> bool:
    """Apply ``update`` to document ``doc_id`` unless event ``event_id`` was already applied.

    Returns True when the effect was applied now, False when it had been applied before.
    With ``upsert`` the first event creates the document; a redelivery then finds its id in the
    inbox, the filter matches nothing, the upsert collides on ``_id`` and is dropped.
    """
    update = {op: dict(fields) for op, fields in update.items()}
    update.setdefault("$push", {})[INBOX] = event_id
    update.setdefault("$inc", {})
    update["$inc"]["version"] = update["$inc"].get("version", 0) + 1
    try:
        result = await collection.update_one(
            {"_id": doc_id, INBOX: {"$ne": event_id}}, update, upsert=upsert
        )
    except DuplicateKeyError:
        return False
    return result.modified_count == 1 or result.upserted_id is not None
