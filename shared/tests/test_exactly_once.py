"""An event written through the outbox reaches a consumer's effect exactly once, even when the
consumer or the relay is killed (SIGKILL) at the worst moment. Real Kafka, real store."""

from __future__ import annotations

import uuid

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.messaging import EventProducer, OutboxRelay, create_once, outgoing
from fengqiao.messaging.lag import group_lag
from fengqiao.settings import KafkaSettings
from fengqiao.storage import Repository
from fengqiao.storage.mongo import Document
from support import (
    Report,
    consume_until,
    consumer_of,
    counting_handler,
    reported,
    run_crashing,
    tallies,
)


async def test_consumer_killed_after_effect_before_commit_applies_once(
    kafka: KafkaSettings, mongodb_uri: str, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    case_id = f"case-{uuid.uuid4().hex[:8]}"
    group = f"g-{uuid.uuid4().hex[:8]}"
    reports = Repository(mongo_db["reports"], Report)
    await reports.add(
        Report(id=case_id, title="青蟹被盗"), [outgoing(topic_name, reported(case_id))]
    )
    async with EventProducer(kafka) as producer:
        assert await OutboxRelay(producer, [reports]).relay_once() == 1

        await run_crashing(kafka, "consumer", mongodb_uri, mongo_db.name, topic_name, group)
        tally = await mongo_db["tallies"].find_one({"_id": case_id})
        assert tally is not None and tally["count"] == 1, "the effect happened before the kill"

        applied: list[bool] = []
        survivor = consumer_of(
            kafka,
            topic_name,
            counting_handler(tallies(mongo_db), applied),
            producer,
            group=group,
        )
        await consume_until(survivor, lambda: len(applied) >= 1)

    assert applied == [False], "the uncommitted event was redelivered and recognised"
    tally = await mongo_db["tallies"].find_one({"_id": case_id})
    assert tally is not None and tally["count"] == 1
    assert await group_lag(kafka, group) == 0, "the redelivery was committed"


async def test_relay_killed_after_publish_before_mark_applies_once(
    kafka: KafkaSettings, mongodb_uri: str, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    case_id = f"case-{uuid.uuid4().hex[:8]}"
    reports = Repository(mongo_db["reports"], Report)
    event = reported(case_id)
    await reports.add(Report(id=case_id, title="青蟹被盗"), [outgoing(topic_name, event)])

    await run_crashing(kafka, "relay", mongodb_uri, mongo_db.name, "reports")
    assert await reports.outbox.count_documents({}) == 1, "the kill came before marking it sent"

    async with EventProducer(kafka) as producer:
        assert await OutboxRelay(producer, [reports]).relay_once() == 1
        assert await OutboxRelay(producer, [reports]).relay_once() == 0, "now marked sent"

        applied: list[bool] = []
        consumer = consumer_of(
            kafka, topic_name, counting_handler(tallies(mongo_db), applied), producer
        )
        await consume_until(consumer, lambda: len(applied) >= 2)

    assert applied == [True, False], "published twice, applied once"
    tally = await mongo_db["tallies"].find_one({"_id": case_id})
    assert tally is not None and tally["count"] == 1 and tally["inbox"] == [event.id]


async def test_the_same_order_under_a_new_event_id_creates_one_aggregate(
    mongo_db: AsyncDatabase[Document],
) -> None:
    """A sender that retries an order sends it again under a new event id: still one aggregate,
    made once, and both deliveries are remembered so neither applies again."""
    reports = Repository(mongo_db["orders"], Report)
    made: list[str] = []

    def make(title: str) -> Report:
        made.append(title)
        return Report(id="order-1", title=title)

    assert await create_once(reports, "order-1", "event-a", lambda: make("first"))
    assert await create_once(reports, "order-1", "event-b", lambda: make("retried"))
    assert not await create_once(reports, "order-1", "event-a", lambda: make("redelivered"))

    stored = await reports.get("order-1")
    assert made == ["first"] and stored.title == "first"
    assert stored.inbox == ["event-a", "event-b"]
