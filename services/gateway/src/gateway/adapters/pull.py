"""Pull-mode delivery: one page of an agency's in-topic, read from positions the client holds.

The client's cursor is the only state: a short-lived consumer without a group is assigned every
partition and seeks to the cursor's positions, so nothing is committed and asking again with
the same cursor reads the same records. Partitions are read one after the other in a fixed
order, so a page depends only on the cursor and the topic's content.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.client import AIOKafkaClient

from fengqiao.security.encoding import b64_bytes, b64_text
from fengqiao.settings import KafkaSettings

POLL_MS = 100  # short: at a partition's end only a transaction marker may be left to skip
MAX_CURSOR_CHARS = 4096


class BadCursor(ValueError):
    """A cursor this gateway did not make, or one that does not fit the topic."""


@dataclass(frozen=True)
class PulledRecord:
    partition: int
    offset: int
    value: bytes | None
    headers: Sequence[tuple[str, bytes | None]]


@dataclass(frozen=True)
class Page:
    records: list[PulledRecord]
    positions: dict[int, int]  # partition → the offset to read next


def encode_cursor(positions: Mapping[int, int]) -> str:
    text = json.dumps({str(p): o for p, o in sorted(positions.items())}, separators=(",", ":"))
    return b64_text(text.encode())


def decode_cursor(cursor: str | None) -> dict[int, int]:
    """The positions in ``cursor``; none (read from the beginning) without one."""
    if not cursor:
        return {}
    if len(cursor) > MAX_CURSOR_CHARS:
        raise BadCursor("the cursor is too long")
    try:
        positions = json.loads(b64_bytes(cursor))
    except (ValueError, RecursionError):  # not base64, not UTF-8, not JSON
        raise BadCursor("the cursor is not one this gateway made") from None
    if not isinstance(positions, dict) or not all(
        isinstance(p, str) and p.isdigit() and p.isascii() and type(o) is int and o >= 0
        for p, o in positions.items()
    ):
        raise BadCursor("the cursor is not one this gateway made")
    return {int(p): o for p, o in positions.items()}


async def partitions_of(kafka: KafkaSettings, topic: str) -> set[int] | None:
    """The topic's partitions, or None if it does not exist (asking does not create it)."""
    client = AIOKafkaClient(**kafka.client_args(), client_id="fengqiao-pull")
    try:
        await client.bootstrap()
        cluster = await client.fetch_all_metadata()
    finally:
        await client.close()
    found: set[int] | None = cluster.partitions_for_topic(topic)
    return None if found is None else set(found)


async def read_page(
    kafka: KafkaSettings,
    topic: str,
    after: Mapping[int, int],
    *,
    limit: int,
    timeout_s: float = 5.0,
) -> Page:
    """Up to ``limit`` committed records after the positions ``after``; BadCursor if they do
    not fit the topic. Stops at the end offsets taken at the start, never waiting for more."""
    partitions = await partitions_of(kafka, topic)
    unknown = set(after) - (partitions or set())
    if unknown:
        raise BadCursor(f"the cursor names partitions {sorted(unknown)} the topic does not have")
    if not partitions:
        return Page([], dict(after))
    consumer = AIOKafkaConsumer(
        **kafka.client_args(),
        client_id="fengqiao-pull",
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
        # Records the retention removed are gone for every reader: go on with the oldest left.
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        first = await consumer.beginning_offsets(tps)
        end = await consumer.end_offsets(tps)  # read_committed: the last stable offsets
        positions: dict[int, int] = {}
        for tp in tps:
            start = after.get(tp.partition, 0)
            if start > end[tp]:
                raise BadCursor(f"the cursor is past the end of partition {tp.partition}")
            positions[tp.partition] = max(start, first[tp])
            consumer.seek(tp, positions[tp.partition])
        records: list[PulledRecord] = []
        deadline = time.monotonic() + timeout_s
        for tp in tps:
            while (
                len(records) < limit
                and positions[tp.partition] < end[tp]
                and time.monotonic() < deadline
            ):
                batch = await consumer.getmany(
                    tp, timeout_ms=POLL_MS, max_records=limit - len(records)
                )
                for record in batch.get(tp, []):
                    if record.offset >= end[tp]:
                        break
                    records.append(
                        PulledRecord(tp.partition, record.offset, record.value, record.headers)
                    )
                # The position also moves over transaction markers and aborted records.
                positions[tp.partition] = min(await consumer.position(tp), end[tp])
        return Page(records, positions)
    finally:
        await consumer.stop()
