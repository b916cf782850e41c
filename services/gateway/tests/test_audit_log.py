"""Where the chain lives: its head is read from the audit topic, never guessed, and the archive
refuses a second record under a sequence it already holds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.settings import KafkaSettings
from fengqiao.storage.mongo import Document
from gateway.adapters.audit_log import AuditArchive, chain_head, ensure_audit_topic
from gateway.domain.audit import AuditEntry, ChainHead, Outcome, append

pytestmark = pytest.mark.asyncio(loop_scope="session")


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        time=datetime(2026, 11, 20, tzinfo=UTC),
        event_id=f"e-{n}",
        type="case.accepted.v1",
        sender="grid",
        recipient="intake",
        subject="c-1",
        outcome=Outcome.DELIVERED,
        data_hash="0" * 64,
    )


async def test_the_head_follows_the_last_record_and_is_never_guessed(kafka: KafkaSettings) -> None:
    topic = f"test.audit.{uuid.uuid4().hex[:8]}"
    await ensure_audit_topic(kafka, topic)
    assert await chain_head(kafka, topic) == ChainHead()
    head, records = ChainHead(), []
    for n in range(3):
        record, head = append(head, entry(n))
        records.append(record)
    producer = AIOKafkaProducer(**kafka.client_args())
    await producer.start()
    try:
        for record in records:
            await producer.send_and_wait(topic, record.model_dump_json().encode(), partition=0)
    finally:
        await producer.stop()
    assert await chain_head(kafka, topic) == head

    admin = AIOKafkaAdminClient(**kafka.client_args())
    await admin.start()
    try:  # what retention (or a careless operator) does to a topic
        await admin.delete_records({TopicPartition(topic, 0): RecordsToDelete(3)})
    finally:
        await admin.close()
    with pytest.raises(RuntimeError, match="no longer holds any record"):
        await chain_head(kafka, topic)


async def test_the_archive_refuses_a_different_record_under_a_held_sequence(
    mongo_db: AsyncDatabase[Document], kafka: KafkaSettings
) -> None:
    archive = AuditArchive(mongo_db, kafka, topic="unused", group="unused")
    first, _ = append(ChainHead(), entry(0))
    forked, _ = append(ChainHead(), entry(99))  # sequence 0 again, other content
    doc = {"_id": 0, **first.model_dump(mode="json")}
    await archive._insert([doc])
    await archive._insert([dict(doc)])  # a redelivery: no-op
    with pytest.raises(RuntimeError, match="another hash"):
        await archive._insert([{"_id": 0, **forked.model_dump(mode="json")}])
    assert (await mongo_db["audit"].find_one({"_id": 0}) or {})["hash"] == first.hash
