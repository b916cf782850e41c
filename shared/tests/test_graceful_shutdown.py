"""Stopping a consumer finishes the record in hand and commits it; the rest waits for the next."""

from __future__ import annotations

import asyncio
import uuid

from fengqiao.contracts import Envelope
from fengqiao.messaging import EventProducer
from fengqiao.messaging.lag import group_lag
from fengqiao.settings import KafkaSettings
from support import consumer_of, reported


async def test_stop_finishes_in_flight_work_then_commits(
    kafka: KafkaSettings, topic_name: str
) -> None:
    group = f"g-{uuid.uuid4().hex[:8]}"
    events = [reported("case-1"), reported("case-1"), reported("case-1")]
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[str] = []

    async def slow(envelope: Envelope) -> None:
        started.set()
        await release.wait()
        finished.append(envelope.id)

    async with EventProducer(kafka) as producer:
        for event in events:
            await producer.publish(topic_name, event)
        consumer = consumer_of(kafka, topic_name, slow, producer, group=group)
        await consumer.start()
        running = asyncio.create_task(consumer.run())
        await asyncio.wait_for(started.wait(), 60)
        consumer.stop()  # asked to stop while the first record is in the handler
        release.set()
        await asyncio.wait_for(running, 30)
        await consumer.close()

    assert finished == [events[0].id], "the record in hand was finished, no new one was begun"
    assert await group_lag(kafka, group) == 2, "it was committed; the other two wait"
