"""Consumer lag: how far a group's committed offsets trail the ends of its partitions."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from fengqiao.settings import KafkaSettings


async def group_lag(kafka: KafkaSettings, group_id: str) -> int | None:
    """Total lag of ``group_id`` over the partitions it has committed; None if it has none."""
    admin = AIOKafkaAdminClient(**kafka.client_args())
    try:
        await admin.start()
        committed = await admin.list_consumer_group_offsets(group_id)
    finally:
        await admin.close()
    if not committed:
        return None
    consumer = AIOKafkaConsumer(**kafka.client_args())
    try:
        await consumer.start()
        ends = await consumer.end_offsets(list(committed))
    finally:
        await consumer.stop()
    lag: int = sum(
        max(0, ends[tp] - meta.offset) for tp, meta in committed.items() if meta.offset >= 0
    )
    return lag
