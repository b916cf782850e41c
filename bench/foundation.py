"""Throughput of the foundation's hot paths on the real broker and store.

    uv run fengqiao infra up && uv run python bench/foundation.py [N]

Prints events per second for: committing state with an outbox event (the repository), relaying
those events to Kafka (the outbox relay), applying them once on the consumer side (inbox), and,
for scale, a bare aiokafka produce of the same records. A benchmark, not a test: it asserts
nothing about speed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.codes import Category, Channel
from fengqiao.contracts.envelope import to_record
from fengqiao.contracts.events import CaseReported, Location
from fengqiao.messaging import EventConsumer, EventProducer, OutboxMessage, OutboxRelay, apply_once
from fengqiao.settings import InfraSettings
from fengqiao.storage import Aggregate, Repository, connect


class Case(Aggregate):
    title: str
    events_seen: int = 0


def event(case_id: str) -> Envelope:
    data = CaseReported(
        external_ref=case_id,
        channel=Channel.GRID,
        category=Category.LAND_RURAL,
        title="承包地边界纠纷",
        description="Boundary dispute between two households.",
        location=Location(town="都斛镇", village="南村", grid="G07"),
        reported_at=datetime.now(UTC),
    )
    return new_envelope(data, source="/agencies/grid", subject=case_id)


async def timed(label: str, n: int, work: Callable[[], Awaitable[None]]) -> dict[str, float]:
    start = time.perf_counter()
    await work()
    seconds = time.perf_counter() - start
    print(f"{label:<42} {n:>7} in {seconds:6.2f}s  {n / seconds:9.0f}/s", flush=True)
    return {"n": n, "seconds": round(seconds, 3), "per_second": round(n / seconds, 1)}


async def main(n: int) -> dict[str, dict[str, float]]:
    infra = InfraSettings()
    client = connect(infra.mongodb_uri)
    db = client[f"bench_{uuid.uuid4().hex[:8]}"]
    topic = f"bench.{uuid.uuid4().hex[:8]}"
    cases = Repository(db["cases"], Case)
    ids = [f"case-{i:07d}" for i in range(n)]
    results: dict[str, dict[str, float]] = {}
    try:

        async def commit_all() -> None:
            sem = asyncio.Semaphore(32)

            async def one(case_id: str) -> None:
                async with sem:
                    await cases.add(
                        Case(id=case_id, title="t"), [OutboxMessage(topic, event(case_id))]
                    )

            await asyncio.gather(*(one(i) for i in ids))

        results["commit_with_outbox"] = await timed("repository.add + outbox event", n, commit_all)

        async with EventProducer(infra.kafka) as producer:
            relay = OutboxRelay(producer, [cases], batch_size=1000)

            async def relay_all() -> None:
                while await relay.relay_once():
                    pass

            results["relay"] = await timed("outbox relay to Kafka", n, relay_all)

            applied = 0
            all_applied = asyncio.Event()

            async def handle(envelope: Envelope) -> None:
                nonlocal applied

                def seen(current: Case | None) -> tuple[Case, list[OutboxMessage]]:
                    assert current is not None
                    return current.model_copy(update={"events_seen": current.events_seen + 1}), []

                assert envelope.subject is not None
                await apply_once(cases, envelope.subject, envelope.id, seen)
                applied += 1
                if applied >= n:
                    all_applied.set()

            consumer = EventConsumer(
                kafka=infra.kafka,
                group_id=topics.consumer_group("bench"),
                topics=[topic],
                handler=handle,
                producer=producer,
                dead_letter_topic=topics.DLQ,
            )

            async def consume_all() -> None:
                await consumer.start()
                task = asyncio.create_task(consumer.run())
                await all_applied.wait()
                consumer.stop()
                await task
                await consumer.close()

            results["consume_apply_once"] = await timed(
                "consume + apply once (inbox)", n, consume_all
            )

        raw = AIOKafkaProducer(**infra.kafka.client_args(), enable_idempotence=True, acks="all")
        records = [to_record(event(i)) for i in ids]

        async def produce_raw() -> None:
            await raw.start()
            try:
                acks = [
                    await raw.send(topic, r.value, key=r.key, headers=r.headers) for r in records
                ]
                await asyncio.gather(*acks)
            finally:
                await raw.stop()

        results["bare_aiokafka_produce"] = await timed(
            "bare aiokafka produce (baseline)", n, produce_raw
        )
    finally:
        await client.drop_database(db.name)
        await client.close()
    return results


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(json.dumps(asyncio.run(main(count)), indent=2))
