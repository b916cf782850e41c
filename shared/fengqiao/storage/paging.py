"""Cursor pages, newest first: every inbox and list of the services pages the same way.

The cursor is the last item's (time, id), opaque to the client; the next page is everything
strictly older, so items added meanwhile never shift a page and none is seen twice.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from fengqiao.aggregate import Aggregate
from fengqiao.storage.repository import Repository

A = TypeVar("A", bound=Aggregate)
MAX_PAGE = 500


class InvalidCursor(ValueError):
    """A cursor this service did not hand out (or for another list)."""


@dataclass(frozen=True)
class Page(Generic[A]):
    items: list[A]
    next_cursor: str | None


def encode_cursor(at: datetime, item_id: str) -> str:
    raw = json.dumps([at.isoformat(), item_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, item_id = json.loads(raw)
        return datetime.fromisoformat(at), str(item_id)
    except (binascii.Error, ValueError, TypeError) as error:
        raise InvalidCursor(f"not a cursor of this list: {cursor[:40]!r}") from error


async def newest_first(
    repository: Repository[A],
    where: dict[str, Any],
    *,
    by: str,
    after: str | None = None,
    limit: int = 50,
) -> Page[A]:
    """One page of ``where``, newest ``by`` (a datetime field) first, after ``after``."""
    limit = max(1, min(limit, MAX_PAGE))
    if after is not None:
        at, last = decode_cursor(after)
        older = {"$or": [{by: {"$lt": at}}, {by: at, "_id": {"$lt": last}}]}
        where = {"$and": [where, older]} if where else older
    found = repository.collection.find(where).sort([(by, -1), ("_id", -1)]).limit(limit + 1)
    items = [repository.from_doc(doc) async for doc in found]
    if len(items) <= limit:
        return Page(items, None)
    tail = items[limit - 1]
    return Page(items[:limit], encode_cursor(getattr(tail, by), tail.id))
