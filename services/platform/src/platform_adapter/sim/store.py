"""The platform's event list (事件列表): append-only, read in pages behind opaque cursors."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

_PREFIX = "ypa:"


class BadCursor(ValueError):
    """A cursor this platform never handed out."""


@dataclass(frozen=True)
class Page:
    """One page of the list (事件分页)."""

    events: list[Any]
    next_cursor: str
    has_more: bool


class EventStore:
    """Every record the platform lists, in arrival order, malformed ones included."""

    def __init__(self) -> None:
        self.records: list[Any] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        self.malformed: dict[int, str] = {}  # position in the list → what is wrong with it
        self.duplicates: dict[str, str] = {}  # a repeat's event_id → its original's
        self._originals: list[tuple[datetime, dict[str, Any]]] = []
        self._seq = 0

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def append(
        self, record: Any, *, malformed: str | None = None, original_at: datetime | None = None
    ) -> None:
        """List a record; given ``original_at``, a first report someone may make again."""
        if malformed is not None:
            self.malformed[len(self.records)] = malformed
        self.records.append(record)
        if isinstance(record, dict) and isinstance(record.get("event_id"), str):
            self.by_id.setdefault(record["event_id"], record)
            if original_at is not None and "reporter" in record:
                self._originals.append((original_at, record))

    def recent_original(self, now: datetime, window: timedelta, pick: int) -> dict[str, Any] | None:
        """A report from the last ``window`` that someone could report again (the pick-th
        newest, wrapping), or None."""
        recent = [event for at, event in self._originals if now - at <= window]
        self._originals = self._originals[-len(recent) :] if recent else []
        return recent[-1 - pick % len(recent)] if recent else None

    def page(self, after: str | None, limit: int) -> Page:
        """The records after ``after``, oldest first; the same cursor gives the same records."""
        start = 0 if after is None else _position(after)
        if start > len(self.records):
            raise BadCursor("this cursor points past the end of the list")
        chunk = self.records[start : start + limit]
        end = start + len(chunk)
        return Page(chunk, _cursor(end), end < len(self.records))


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode().rstrip("=")


def _position(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith(_PREFIX):
            raise BadCursor("not a cursor of this platform")
        position = int(text.removeprefix(_PREFIX))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor("not a cursor of this platform") from None
    if position < 0:
        raise BadCursor("not a cursor of this platform")
    return position
