"""Dead letters: a record that cannot be applied, kept byte for byte with the reason why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import MessageSizeTooLargeError

from fengqiao.contracts import topics
from fengqiao.contracts.envelope import Header, RejectReason
from fengqiao.messaging.producer import EventProducer
from fengqiao.settings import KafkaSettings

PREFIX = "dlq_"
TRUNCATED_BYTES = 64_000


class DeadLetters:
    def __init__(self, producer: EventProducer, group_id: str, *, topic: str) -> None:
        self._producer = producer
        self._group_id = group_id
        self._topic = topic

    async def send(
        self, record: ConsumerRecord, reason: RejectReason, detail: str, *, attempts: int
    ) -> None:
        headers = dead_letter_headers(
            record, reason.value, detail, group=self._group_id, attempts=attempts
        )
        try:
            await self._producer.publish_raw(
                self._topic, key=record.key, value=record.value, headers=headers
            )
        except MessageSizeTooLargeError:
            # The record plus our headers exceeds what the broker takes: keep its head and say so.
            value = (record.value or b"")[:TRUNCATED_BYTES]
            await self._producer.publish_raw(
                self._topic,
                key=record.key,
                value=value,
                headers=[*headers, (f"{PREFIX}truncated", str(len(record.value or b"")).encode())],
            )


def dead_letter_headers(
    record: ConsumerRecord, reason: str, detail: str, *, group: str, attempts: int
) -> list[Header]:
    """The record's own headers plus why and where it failed (``dlq_*``)."""
    own = [h for h in (record.headers or ()) if not h[0].startswith(PREFIX)]
    return [
        *own,
        (f"{PREFIX}reason", reason.encode()),
        (f"{PREFIX}detail", detail[:4000].encode()),
        (f"{PREFIX}topic", record.topic.encode()),
        (f"{PREFIX}partition", str(record.partition).encode()),
        (f"{PREFIX}offset", str(record.offset).encode()),
        (f"{PREFIX}group", group.encode()),
        (f"{PREFIX}attempts", str(attempts).encode()),
        (f"{PREFIX}time", datetime.now(UTC).isoformat().encode()),
    ]


@dataclass(frozen=True)
class DeadLetter:
    """A DLQ record as read back by the CLI."""

    queue: str  # the DLQ it sits in: the exchange's or an agency's own
    partition: int
    offset: int
    reason: str
    detail: str
    topic: str
    group: str
    attempts: int
    time: str
    key: bytes | None
    value: bytes | None
    headers: list[Header]

    @property
    def position(self) -> str:
        """Where it sits, as `dlq-topic:partition:offset` (each agency has its own DLQ)."""
        return f"{self.queue}:{self.partition}:{self.offset}"

    @classmethod
    def from_record(cls, record: ConsumerRecord) -> DeadLetter:
        meta = {k[len(PREFIX) :]: v.decode() for k, v in record.headers if k.startswith(PREFIX)}
        original = [h for h in record.headers if not h[0].startswith(PREFIX)]
        return cls(
            queue=record.topic,
            partition=record.partition,
            offset=record.offset,
            reason=meta.get("reason", ""),
            detail=meta.get("detail", ""),
            topic=meta.get("topic", ""),
            group=meta.get("group", ""),
            attempts=int(meta.get("attempts", "0")),
            time=meta.get("time", ""),
            key=record.key,
            value=record.value,
            headers=original,
        )


async def read_dead_letters(
    kafka: KafkaSettings, limit: int = 10_000, *, topics_: Sequence[str] | None = None
) -> list[DeadLetter]:
    """The newest ``limit`` dead letters, oldest first, from ``topics_`` or from every DLQ
    this identity may read (the exchange's and each agency's own)."""
    tps = await _partitions(kafka, topics_)
    if not tps:
        return []
    consumer = AIOKafkaConsumer(**kafka.client_args(), enable_auto_commit=False)
    try:
        await consumer.start()
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        starts = await consumer.beginning_offsets(tps)
        for tp in tps:  # no further back than `limit` records in any partition
            consumer.seek(tp, max(starts[tp], ends[tp] - limit))
        letters: list[DeadLetter] = []
        while await _behind(consumer, ends):
            batch = await consumer.getmany(timeout_ms=1000)
            for tp, records in batch.items():
                letters.extend(DeadLetter.from_record(r) for r in records if r.offset < ends[tp])
        return sorted(letters, key=lambda letter: letter.time)[-limit:]
    finally:
        await consumer.stop()


async def _partitions(kafka: KafkaSettings, names: Sequence[str] | None) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(**kafka.client_args())
    try:
        await admin.start()
        if names is None:
            names = [t for t in await admin.list_topics() if topics.is_dead_letters(t)]
        described = await admin.describe_topics(list(names)) if names else []
    finally:
        await admin.close()
    return sorted(
        TopicPartition(t["topic"], p["partition"])
        for t in described
        if t.get("error_code", 0) == 0
        for p in t["partitions"]
    )


async def _behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    positions = {tp: await consumer.position(tp) for tp in ends}
    return any(positions[tp] < end for tp, end in ends.items())
