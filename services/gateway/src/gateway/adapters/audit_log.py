"""Where the audit chain lives: the ``xchg.audit`` topic (one partition, written in the router's
transactions, so it holds exactly the exchanges that happened) and its archive in the gateway's
database, where auditors query it and ``fengqiao audit verify`` recomputes it."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
)
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from fengqiao.messaging.lifecycle import keep_running
from fengqiao.settings import KafkaSettings, TopicSettings
from fengqiao.storage.mongo import Document
from gateway.domain.audit import AuditRecord, ChainHead

log = logging.getLogger(__name__)
ARCHIVE = "audit"


async def ensure_audit_topic(kafka: KafkaSettings, topic: str) -> None:
    """One partition: the chain is one sequence. Kept for ever: the router finds the chain's
    head in it, and `audit verify` holds the archive against it."""
    admin = AIOKafkaAdminClient(**kafka.client_args())
    await admin.start()
    try:
        kept = {"retention.ms": "-1", "retention.bytes": "-1"}
        replicas = TopicSettings().replication_factor
        await admin.create_topics([NewTopic(topic, 1, replicas, topic_configs=kept)])
    except (
        TopicAlreadyExistsError,
        TopicAuthorizationFailedError,
        ClusterAuthorizationFailedError,
    ):
        # There already, or this principal may not create topics: on a secured broker the
        # exchange's topics are made by `fengqiao kafka apply`, and a missing one is named when
        # the router reads it.
        pass
    finally:
        await admin.close()


async def chain_head(kafka: KafkaSettings, topic: str, timeout_s: float = 30.0) -> ChainHead:
    """The head after the last committed audit record. Call it after the router's transactional
    producer started: that fences an earlier instance and settles its open transaction."""
    consumer = AIOKafkaConsumer(
        **kafka.client_args(), enable_auto_commit=False, isolation_level="read_committed"
    )
    chain = TopicPartition(topic, 0)
    await consumer.start()
    try:
        consumer.assign([chain])
        end = (await consumer.end_offsets([chain]))[chain]
        first = (await consumer.beginning_offsets([chain]))[chain]
        back, deadline = 64, time.monotonic() + timeout_s
        while True:
            start = max(first, end - back)
            consumer.seek(chain, start)
            last = None
            while await consumer.position(chain) < end:
                if time.monotonic() > deadline:
                    # A guessed head would fork the chain: better not to route at all.
                    raise TimeoutError(f"the end of {topic} was not read in {timeout_s} s")
                batch = await consumer.getmany(chain, timeout_ms=500)
                for record in batch.get(chain, []):
                    last = record
            if last is not None:
                return ChainHead.after(AuditRecord.model_validate_json(last.value or b""))
            if start == first:
                if first > 0:
                    raise RuntimeError(
                        f"{topic} no longer holds any record (offsets below {first} were "
                        "deleted): the chain's head is unknown; restore the topic's records"
                    )
                return ChainHead()
            back *= 8  # only transaction markers in that stretch: look further back
    finally:
        await consumer.stop()


class AuditArchive:
    """Copies the committed chain into the database, record by record, idempotently."""

    def __init__(
        self, db: AsyncDatabase[Document], kafka: KafkaSettings, *, topic: str, group: str
    ) -> None:
        self._records = db[ARCHIVE]
        self._kafka = kafka
        self._topic = topic
        self._group = group
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        await keep_running("audit archive", self._copy, self._stopping)

    async def _copy(self) -> None:
        consumer = AIOKafkaConsumer(
            self._topic,
            **self._kafka.client_args(),
            group_id=self._group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
        )
        await consumer.start()
        try:
            while not self._stopping.is_set():
                batch = await consumer.getmany(timeout_ms=500, max_records=1000)
                for tp, records in batch.items():
                    docs = [_archived(r.value or b"") for r in records]
                    await self._insert(docs)
                    await consumer.commit({tp: records[-1].offset + 1})
        finally:
            await consumer.stop()

    async def _insert(self, docs: list[dict[str, Any]]) -> None:
        try:
            await self._records.insert_many(docs, ordered=False)
        except BulkWriteError as error:
            failed = error.details.get("writeErrors", [])
            if any(e.get("code") != 11000 for e in failed):
                raise
            # Already archived (a redelivery after a crash) is a no-op; a different record
            # under the same sequence is a forked chain, and must not pass unnoticed.
            for doc in (docs[e["index"]] for e in failed):
                held = await self._records.find_one({"_id": doc["_id"]}, {"hash": 1})
                if held is not None and held.get("hash") != doc["hash"]:
                    raise RuntimeError(
                        f"audit record {doc['_id']} is archived with another hash"
                    ) from None


def _archived(value: bytes) -> dict[str, Any]:
    record = AuditRecord.model_validate_json(value)
    return {"_id": record.sequence, **record.model_dump(mode="json")}


async def archived_records(db: AsyncDatabase[Document]) -> list[dict[str, Any]]:
    """Every archived record, as stored (for verification), in sequence order."""
    return [doc async for doc in db[ARCHIVE].find({}).sort("_id", 1)]


async def topic_records(
    kafka: KafkaSettings, topic: str, timeout_s: float = 60.0
) -> list[dict[str, Any]]:
    """Every committed record the audit topic still holds, in order, as the archive should hold
    them (for ``compare``). Reads up to the end as of the call: what is committed after it is
    the archiver's next work, not a difference. Raises LookupError if the topic does not exist
    (asking for its partition would let a broker that auto-creates topics make an empty one)."""
    consumer = AIOKafkaConsumer(
        **kafka.client_args(), enable_auto_commit=False, isolation_level="read_committed"
    )
    chain = TopicPartition(topic, 0)
    try:
        await consumer.start()  # inside: a broker that does not answer must not leak the consumer
        if topic not in await consumer.topics():
            raise LookupError(f"the broker has no topic {topic}")
        consumer.assign([chain])
        start = (await consumer.beginning_offsets([chain]))[chain]
        end = (await consumer.end_offsets([chain]))[chain]
        consumer.seek(chain, start)
        records, deadline = [], time.monotonic() + timeout_s
        while await consumer.position(chain) < end:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the audit topic {topic} was not read in {timeout_s:g} s")
            batch = await consumer.getmany(chain, timeout_ms=500)
            records += [_archived(r.value or b"") for r in batch.get(chain, [])]
        return records
    finally:
        await consumer.stop()
