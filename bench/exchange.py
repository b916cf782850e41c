"""Throughput of the gateway's router on the real broker, against a bare pass-through.

    uv run fengqiao infra up && uv run python bench/exchange.py [N]

Sends N signed case.transferred events to an agency's `out` topic, then measures (1) the router
— decode, schema, policy, signature check, countersignature, audit chain, receipt, all in
transactions of `router_batch` events — and (2) a plain aiokafka consume-and-produce of the same
records, in events per second, and prints the router's cost per event as a ratio. A benchmark,
not a test: it asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.codes import Action, AgencyKind, Category, Level, Severity
from fengqiao.contracts.events import CaseTransferred, Location, Party
from fengqiao.messaging import EventProducer
from fengqiao.security.signing import public_key_from_text, public_key_text, sign
from fengqiao.settings import InfraSettings
from gateway.domain.registry import Agency, Registry, SendRight
from gateway.router import Router
from gateway.routing import Exchange
from gateway.settings import GatewaySettings


def agencies(run: str) -> tuple[Registry, dict[str, Ed25519PrivateKey]]:
    keys = {f"hub-{run}": Ed25519PrivateKey.generate(), f"grid-{run}": Ed25519PrivateKey.generate()}
    hub = Agency(
        id=f"hub-{run}",
        name_zh="综治中心",
        name_en="hub",
        kind=AgencyKind.HUB,
        level=Level.TOWN,
        public_key=public_key_text(keys[f"hub-{run}"]),
        sends=[SendRight(type="case.*", to=[AgencyKind.GRID])],
        receives=["exchange.*"],
    )
    grid = Agency(
        id=f"grid-{run}",
        name_zh="网格",
        name_en="grid",
        kind=AgencyKind.GRID,
        level=Level.GRID,
        public_key=public_key_text(keys[f"grid-{run}"]),
        receives=["case.*"],
    )
    return Registry(version="bench", agencies=[hub, grid]), keys


def transfer(n: int, sender: str, recipient: str, key: Ed25519PrivateKey) -> Envelope:
    now = datetime.now(UTC)
    data = CaseTransferred(
        case_id=f"c-{n % 1000}",
        assignment_id=f"a-{n}",
        category=Category.LAND_RURAL,
        severity=Severity.GENERAL,
        action=Action.MEDIATE,
        lead=True,
        title="承包地边界纠纷",
        summary="两户承包地边界不清，请调解。",
        location=Location(town="都斛镇", village="南村"),
        parties=[Party(name="张三", phone="13800138000"), Party(name="李四")],
        due_at=now + timedelta(days=7),
        accept_by=now + timedelta(days=1),
    )
    envelope = new_envelope(
        data, source=f"/agencies/{sender}", subject=data.case_id, recipient=recipient
    )
    return sign(envelope, key)


async def route_all(bootstrap: str, run: str, registry: Registry, n: int) -> float:
    settings = GatewaySettings(
        transactional_id=f"bench-{run}",
        router_group=f"bench-{run}",
        route_pattern=rf"^xchg\.out\.hub-{run}$",
        audit_topic=f"bench.audit.{run}",
    )
    gateway_key = Ed25519PrivateKey.generate()

    async def exchange() -> Exchange:
        return Exchange(
            registry=registry,
            key_of=lambda a: None if a.public_key is None else public_key_from_text(a.public_key),
            agency=f"gateway-{run}",
            signing_key=gateway_key,
            limit=settings.max_event_bytes,
        )

    router = Router(bootstrap_servers=bootstrap, settings=settings, exchange=exchange)
    task = asyncio.create_task(router.run())
    while router.routed == 0:  # noqa: ASYNC110 - a counter the router bumps, polled
        await asyncio.sleep(0.001)
    start, first = time.perf_counter(), router.routed
    while router.routed < n:  # noqa: ASYNC110
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - start
    router.stop()
    await task
    return (n - first) / elapsed


async def pass_through(bootstrap: str, run: str, n: int) -> float:
    consumer = AIOKafkaConsumer(
        topics.outbound(f"hub-{run}"),
        bootstrap_servers=bootstrap,
        group_id=f"plain-{run}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
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


async def main(n: int) -> None:
    bootstrap = InfraSettings().kafka_bootstrap_servers
    run = uuid.uuid4().hex[:8]
    registry, keys = agencies(run)
    hub, grid = f"hub-{run}", f"grid-{run}"
    events = [transfer(i, hub, grid, keys[hub]) for i in range(n)]
    async with EventProducer(bootstrap) as producer:
        for i in range(0, n, 1000):
            await producer.publish_many(
                [(topics.outbound(hub), e, None) for e in events[i : i + 1000]]
            )
    plain = await pass_through(bootstrap, run, n)
    routed = await route_all(bootstrap, run, registry, n)
    figures = {
        "events": n,
        "router_events_per_s": round(routed),
        "pass_through_events_per_s": round(plain),
        "router_cost_ratio": round(plain / routed, 1),
        "router_us_per_event": round(1e6 / routed),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
