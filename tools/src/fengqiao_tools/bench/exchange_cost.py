"""The gateway's cost per event: its router (decode, schema, registry, signature check,
countersignature, audit chain, receipt, in transactions of ``router_batch`` events) against a
plain aiokafka consume-and-produce of the same records, on the same broker.

The events sit on ``bench.out.<hub>``, not ``xchg.out.<hub>``: a running gateway subscribes to
every ``xchg.out.*`` topic and would refuse them (unknown sender) into its own audit chain and
the DLQ. The router under test reads the sender from the topic name, and ``topics.agency_of`` reads
``bench.out.<agency>`` as it reads ``xchg.out.<agency>``."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.contracts import topics
from fengqiao.messaging import EventProducer
from fengqiao.security.signing import public_key_from_text
from fengqiao.settings import KafkaSettings
from fengqiao_tools.bench.exchange_fixture import agencies, gateway, transfer

PREFIX = "bench.out."


async def route_all(kafka: KafkaSettings, run: str, registry: Any, n: int) -> float:
    """Events per second the gateway's router routes, from its first routed batch on."""
    settings = gateway("settings").GatewaySettings(
        transactional_id=f"bench-{run}",
        router_group=f"bench-{run}",
        route_pattern=rf"^bench\.out\.hub-{run}$",
        audit_topic=f"bench.audit.{run}",
    )
    key = Ed25519PrivateKey.generate()

    async def exchange() -> Any:
        return gateway("exchange.judging").Exchange(
            registry=registry,
            key_of=lambda a: None if a.public_key is None else public_key_from_text(a.public_key),
            agency=f"gateway-{run}",
            signing_key=key,
            limit=settings.max_event_bytes,
        )

    router = gateway("exchange.router").Router(kafka=kafka, settings=settings, exchange=exchange)
    task = asyncio.create_task(router.run())
    while router.routed == 0:  # noqa: ASYNC110 - a counter the router bumps, polled
        await asyncio.sleep(0.001)
    start, first = time.perf_counter(), router.routed
    while router.routed < n:  # noqa: ASYNC110
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - start
    router.stop()
    await task
    if first >= n:
        # The clock starts after the first batch, whose fetch includes the router's start-up.
        raise ValueError(f"{n} events fit in one routing batch; give several times {first}")
    return float(n - first) / elapsed


async def pass_through(kafka: KafkaSettings, run: str, n: int) -> float:
    """Events per second of a bare consume → produce → commit of the same records."""
    consumer = AIOKafkaConsumer(
        f"{PREFIX}hub-{run}",
        **kafka.client_args(),
        group_id=f"plain-{run}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    producer = AIOKafkaProducer(**kafka.client_args(), enable_idempotence=True, acks="all")
    await consumer.start()
    await producer.start()
    try:
        seen, start = 0, None
        while seen < n:
            batch = await consumer.getmany(timeout_ms=200, max_records=500)
            if batch and start is None:
                start, seen = time.perf_counter(), 0
            sent = []
            for records in batch.values():
                for r in records:
                    sent.append(
                        await producer.send(
                            f"bench.plain.{run}", r.value, key=r.key, headers=list(r.headers)
                        )
                    )
                    seen += 1
            await asyncio.gather(*sent)
            if batch:
                await consumer.commit()
        assert start is not None
        return n / (time.perf_counter() - start)
    finally:
        await consumer.stop()
        await producer.stop()


async def measure(kafka: KafkaSettings, n: int, *, keep_topics: bool = False) -> dict[str, Any]:
    """Publish ``n`` signed transfers, time the pass-through and then the router over them."""
    run = uuid.uuid4().hex[:8]
    registry, keys = agencies(run)
    hub, grid = f"hub-{run}", f"grid-{run}"
    events = [transfer(i, hub, grid, keys[hub]) for i in range(n)]
    async with EventProducer(kafka) as producer:
        for i in range(0, n, 1000):
            await producer.publish_many([(f"{PREFIX}{hub}", e, None) for e in events[i : i + 1000]])
    try:
        plain = await pass_through(kafka, run, n)
        routed = await route_all(kafka, run, registry, n)
    finally:
        if not keep_topics:
            await _drop_topics(kafka, run)
    return {
        "events": n,
        "router_events_per_s": round(routed),
        "pass_through_events_per_s": round(plain),
        "router_cost_ratio": round(plain / routed, 1),
        "router_us_per_event": round(1e6 / routed),
        "pass_through_us_per_event": round(1e6 / plain),
    }


async def _drop_topics(kafka: KafkaSettings, run: str) -> None:
    names = [f"{PREFIX}hub-{run}", f"bench.plain.{run}", f"bench.audit.{run}"]
    names += [topics.inbound(f"hub-{run}"), topics.inbound(f"grid-{run}")]
    admin = AIOKafkaAdminClient(**kafka.client_args())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        await admin.delete_topics([t for t in names if t in existing])
    finally:
        await admin.close()
