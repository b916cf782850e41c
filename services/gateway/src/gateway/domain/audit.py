"""The exchange's audit log as a hash chain (after X-Road's message log).

Each record carries the hash of the one before, and its own hash over every field but itself,
so changing a record breaks its hash and removing one breaks the sequence and the link. Pure:
the router appends, ``verify`` recomputes, ``compare`` holds an archive against the audit topic
(which alone knows where the chain ends); where records are kept is the adapters' business.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

GENESIS = "0" * 64
HASH = r"^[0-9a-f]{64}$"


class Outcome(StrEnum):
    DELIVERED = "delivered"
    REJECTED = "rejected"


class AuditEntry(BaseModel):
    """What the router saw and did with one event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time: datetime
    event_id: str
    type: str
    sender: str
    recipient: str | None
    subject: str | None
    outcome: Outcome
    reason_code: str | None = None
    signature: str | None = Field(default=None, description="the sender's, as received")
    data_hash: str = Field(pattern=HASH, description="SHA-256 of the data as received")


class AuditRecord(AuditEntry):
    sequence: int = Field(ge=0)
    prev_hash: str = Field(pattern=HASH)
    hash: str = Field(pattern=HASH)


def digest(value: Any) -> str:
    """SHA-256 of a JSON value in canonical form (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def record_hash(fields: dict[str, Any]) -> str:
    return digest({k: v for k, v in fields.items() if k not in ("hash", "_id")})


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends: the next sequence number and the last hash."""

    next_sequence: int = 0
    last_hash: str = GENESIS

    @classmethod
    def after(cls, record: AuditRecord) -> ChainHead:
        return cls(record.sequence + 1, record.hash)


def append(head: ChainHead, entry: AuditEntry) -> tuple[AuditRecord, ChainHead]:
    fields = {
        **entry.model_dump(mode="json"),
        "sequence": head.next_sequence,
        "prev_hash": head.last_hash,
    }
    record = AuditRecord.model_validate({**fields, "hash": record_hash(fields)})
    return record, ChainHead.after(record)


@dataclass(frozen=True)
class Finding:
    """The first place the chain does not hold."""

    sequence: int
    problem: str  # "altered" | "missing" | "added"
    detail: str

    def __str__(self) -> str:
        return f"record {self.sequence} {self.problem}: {self.detail}"


def verify(records: Iterable[dict[str, Any]]) -> tuple[int, Finding | None]:
    """Recompute the chain from stored records (any order); (records checked, first finding)."""
    ordered = sorted(records, key=_sequence)
    expected, last_hash = 0, GENESIS
    for checked, stored in enumerate(ordered):
        sequence = _sequence(stored)
        if sequence > expected:
            missing = _span(expected, sequence - 1)
            return checked, Finding(expected, "missing", f"records {missing} are not in the log")
        if sequence < expected:  # a second record claiming a taken place
            return checked, Finding(sequence, "altered", "the sequence number appears twice")
        if record_hash(stored) != stored.get("hash"):
            return checked, Finding(sequence, "altered", "its content does not match its hash")
        if stored.get("prev_hash") != last_hash:
            # Its own hash holds, so the record before it was rewritten with a fresh hash.
            return checked, Finding(
                sequence - 1, "altered", f"record {sequence} links to a different hash"
            )
        expected, last_hash = sequence + 1, str(stored["hash"])
    return len(ordered), None


def compare(
    archived: Iterable[dict[str, Any]], logged: Iterable[dict[str, Any]], *, allow_lag: int = 0
) -> Finding | None:
    """The first sequence where the archive and the audit topic disagree, or None.

    The topic is the authority: the router writes it in the exchange's own transaction, and no
    one rewrites it from the database. So every record the topic holds must be in the archive,
    field for field: a tail deleted from the archive, or its last record rewritten with a fresh
    hash, leaves the archive's own chain whole but fails here. The one tolerance: the archive may
    stop at most ``allow_lag`` records short of the topic's end (the archiver copies after the
    fact); a hole before the archive's last record is never lag. Records the topic no longer
    holds (retention) are left to ``verify``; an archived record after the topic's end was never
    logged. Read the archive before the topic, or the archiver's newest copies look added.
    """
    stored = {_sequence(r): r for r in archived}
    topic = sorted(logged, key=_sequence)
    if not topic:
        return None  # nothing to hold the archive against; the caller must say so
    archive_end, topic_end = max(stored, default=-1), _sequence(topic[-1])
    unarchived = sum(1 for r in topic if _sequence(r) > archive_end)
    for record in topic:
        sequence = _sequence(record)
        mine = stored.get(sequence)
        if mine is None:
            if sequence > archive_end and unarchived <= allow_lag:
                return None
            last = min((s for s in stored if s > sequence), default=topic_end + 1) - 1
            detail = f"records {_span(sequence, last)} are in the audit topic, not in the archive"
            return Finding(sequence, "missing", detail)
        keys = (mine.keys() | record.keys()) - {"_id"}
        if differ := sorted(k for k in keys if mine.get(k, _ABSENT) != record.get(k, _ABSENT)):
            return Finding(
                sequence, "altered", f"differs from the audit topic in {', '.join(differ)}"
            )
    if archive_end > topic_end:
        after = min(s for s in stored if s > topic_end)
        return Finding(after, "added", f"the audit topic ends at record {topic_end}")
    return None


_ABSENT = object()  # a field one side lacks differs even from the other side's null


def _sequence(record: dict[str, Any]) -> int:
    return int(record.get("sequence", -1))


def _span(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}–{last}"
