"""One trace follows an event through the gateway: the delivered copy and the receipt carry the
sender's trace id, under the router's span."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer

from fengqiao.contracts import topics
from fengqiao.contracts.codes import AgencyKind
from fengqiao.contracts.envelope import to_record
from fengqiao.messaging import EventProducer
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from gatewaykit import Exchange, running_gateway
from samples import sample

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_the_delivered_event_and_its_receipt_continue_the_senders_trace(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    hub, grid = exchange.of_kind(AgencyKind.HUB).id, exchange.of_kind(AgencyKind.GRID).id
    envelope = exchange.envelope(hub, sample("case.accepted.v1"), recipient=grid, subject="c-9")
    trace_id = secrets.token_hex(16)
    parent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    record = to_record(envelope)
    consumer = AIOKafkaConsumer(
        topics.inbound(grid),
        topics.inbound(hub),
        **kafka.client_args(),
        group_id=f"trace-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        metadata_max_age_ms=1000,
    )
    async with EventProducer(kafka) as producer, running_gateway():
        await producer.publish_raw(
            topics.outbound(hub),
            key=record.key,
            value=record.value,
            headers=[*record.headers, ("traceparent", parent.encode())],
        )
        await consumer.start()
        try:
            seen: dict[str, str] = {}

            async def both_seen() -> bool:
                for tp, records in (await consumer.getmany(timeout_ms=500)).items():
                    for r in records:
                        headers = dict(r.headers)
                        seen[tp.topic] = headers.get("traceparent", b"").decode()
                return len(seen) >= 2

            await until(both_seen, "the event on both inbound topics")
        finally:
            await consumer.stop()
    assert set(seen) == {topics.inbound(grid), topics.inbound(hub)}
    for traceparent in seen.values():
        assert traceparent.split("-")[1] == trace_id, seen
        # ...as children of the router's own span: the routing hop shows in the trace.
        assert traceparent.split("-")[2] != parent.split("-")[2], seen
