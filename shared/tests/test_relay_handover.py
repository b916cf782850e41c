"""A running relay is handed each commit its process makes: it sends at once instead of waiting
for its next look at the announcements, and drops the announcement of a commit without events."""

from __future__ import annotations

import asyncio
import time

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.contracts import Envelope
from fengqiao.messaging import EventProducer, OutboxRelay, outgoing
from fengqiao.settings import KafkaSettings
from fengqiao.storage import Repository
from fengqiao.storage.mongo import Document
from fengqiao.testing import until
from support import Report, consume_until, consumer_of, reported

# Far longer than the test waits: only the hand-over can explain a prompt publish.
IDLE_S = 120.0


async def test_a_commit_is_sent_when_made_not_at_the_next_look(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    async with EventProducer(kafka) as producer:
        relay = OutboxRelay(producer, [reports], idle_interval_s=IDLE_S)
        running = asyncio.create_task(relay.run())
        try:
            await asyncio.sleep(0.5)  # its first look found nothing; it now sleeps IDLE_S
            ids: list[str] = []

            async def keep(envelope: Envelope) -> None:
                ids.append(envelope.id)

            began = time.monotonic()
            events = [reported("R1"), reported("R1")]
            first = await reports.add(
                Report(id="R1", title="draft"), [outgoing(topic_name, events[0])]
            )
            await reports.save(
                first.model_copy(update={"title": "final"}), [outgoing(topic_name, events[1])]
            )
            await reports.save((await reports.get("R1")).model_copy(update={"title": "quiet"}))
            consumer = consumer_of(kafka, topic_name, keep, producer)
            await consume_until(consumer, lambda: len(ids) >= 2)
            assert ids == [e.id for e in events], "both sent, in the order committed"
            await until(
                lambda: _no_announcements(reports), what="every announcement dropped", timeout_s=10
            )
            assert time.monotonic() - began < IDLE_S / 4
        finally:
            relay.stop()
            await running
    assert (await reports.get("R1")).title == "quiet"


async def _no_announcements(reports: Repository[Report]) -> bool:
    return await reports.outbox.count_documents({}) == 0
