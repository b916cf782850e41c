"""Processes that die with SIGKILL at a chosen point, for the exactly-once and recovery tests.

python crash.py consumer BOOTSTRAP MONGO_URI DB TOPIC GROUP
    consume, apply the effect, then die before the offset is committed
python crash.py relay BOOTSTRAP MONGO_URI DB COLLECTION
    publish the outbox, then die before marking it sent
python crash.py writer MONGO_URI DB COLLECTION ID
    create report ID, then change it without events and die after the commit, before the
    document is written
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from fengqiao.contracts import topics
from fengqiao.messaging import EventConsumer, EventProducer, OutboxRelay
from fengqiao.settings import KafkaSettings
from fengqiao.storage import Aggregate, Repository, connect
from support import Report, counting_handler, tallies


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def consumer(uri: str, db: str, topic: str, group: str) -> None:
    applied: list[bool] = []
    count_once = counting_handler(tallies(connect(uri)[db]), applied)

    async def handle_then_die(envelope: Any) -> None:
        await count_once(envelope)
        die()

    bootstrap = KafkaSettings()  # the parent's identity, passed in KAFKA_*
    async with EventProducer(bootstrap) as producer:
        crashing = EventConsumer(
            kafka=bootstrap,
            group_id=group,
            topics=[topic],
            handler=handle_then_die,
            producer=producer,
            dead_letter_topic=topics.DLQ,
        )
        await crashing.start()
        await crashing.run()


class RelayDyingBeforeMark(OutboxRelay):
    async def mark_sent(self, *args: Any, **kwargs: Any) -> None:
        die()


async def relay(uri: str, db: str, collection: str) -> None:
    source = Repository(connect(uri)[db][collection], Aggregate)
    async with EventProducer(KafkaSettings()) as producer:
        await RelayDyingBeforeMark(producer, [source]).relay_once()


class WriterDyingBeforeMaterialise(Repository[Report]):
    async def materialise(self, *args: Any, **kwargs: Any) -> None:
        die()


async def writer(uri: str, db: str, collection: str, aggregate_id: str) -> None:
    first = await Repository(connect(uri)[db][collection], Report).add(
        Report(id=aggregate_id, title="draft")
    )
    dying = WriterDyingBeforeMaterialise(connect(uri)[db][collection], Report)
    await dying.save(first.model_copy(update={"title": "final"}))


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    roles = {"consumer": consumer, "relay": relay, "writer": writer}
    asyncio.run(roles[role](*args))  # type: ignore[operator]
    sys.exit(3)  # reaching here means the crash point was never hit
