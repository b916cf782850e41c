"""Webhook delivery on the real broker: a real HTTP endpoint gets every event of its agency's
in-topic once, in order per case, signed; what it never takes goes to the DLQ."""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import secrets
import socket
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pymongo.asynchronous.database import AsyncDatabase
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fengqiao.circuit import CircuitState
from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.codes import Action, Category, Severity
from fengqiao.contracts.envelope import from_attributes, to_record
from fengqiao.contracts.events import CaseAccepted, CaseTransferred, Location
from fengqiao.messaging import EventProducer, RetryPolicy
from fengqiao.messaging.dlq import read_dead_letters
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.storage.mongo import Document
from fengqiao.testing import until
from gateway.adapters.credentials import webhook_secret, webhook_signature
from gateway.adapters.registry_store import RegistryStore
from gateway.domain.registry import Agency
from gateway.exchange.deliveries import WebhookDeliveries
from gateway.exchange.webhooks import WebhookDeliverer, WebhookPolicy, group_of

QUICK = WebhookPolicy(
    retry=RetryPolicy(attempts=100, base_delay_s=0.01, max_delay_s=0.05),
    failure_threshold=3,
    cooldown_s=0.2,
    timeout_s=5.0,
    restart_s=0.2,
)


@pytest.fixture(autouse=True)
def webhook_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    monkeypatch.setenv("FENGQIAO_GATEWAY_WEBHOOK_KEY", key)
    clear_secret_cache()
    yield
    clear_secret_cache()


def transferred(case: str, recipient: str) -> Envelope:
    now = datetime.now(UTC)
    data = CaseTransferred(
        case_id=case,
        assignment_id=f"{case}-a1",
        category=Category.THEFT,
        severity=Severity.GENERAL,
        action=Action.INVESTIGATE,
        lead=True,
        title="青蟹被盗",
        summary="Mud crabs stolen from a pond overnight.",
        location=Location(town="都斛镇", village="南村"),
        due_at=now + timedelta(days=7),
        accept_by=now + timedelta(days=1),
    )
    return new_envelope(data, source="/agencies/intake", subject=case, recipient=recipient)


def accepted(case: str, recipient: str, n: int) -> Envelope:
    data = CaseAccepted(
        case_id=case, assignment_id=f"{case}-a1", accepted_at=datetime.now(UTC), handler=f"#{n}"
    )
    return new_envelope(data, source="/agencies/intake", subject=case, recipient=recipient)


def registered(agency: str, webhook_url: str | None) -> Agency:
    delivery = {"delivery": "webhook", "webhook_url": webhook_url} if webhook_url else {}
    return Agency.model_validate(
        {
            "id": agency,
            "name_zh": "人社局",
            "name_en": "labour bureau",
            "kind": "department",
            "level": "county",
            "receives": ["case.*"],
            **delivery,
        }
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Receiver:
    """An agency's webhook endpoint: checks each POST as a receiver should, records what it took.

    It answers 503 to its first ``unavailable`` requests and 500 to any try of an event in
    ``refuse``; an unsigned or mis-signed request is refused with 401 and noted in ``bad``.
    """

    def __init__(self, agency: str, *, unavailable: int = 0, refuse: frozenset[str] = frozenset()):
        self.agency = agency
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hooks/fengqiao"
        self.taken: list[dict[str, Any]] = []  # the CloudEvents accepted, in arrival order
        self.tries: Counter[str] = Counter()
        self.bad: list[str] = []
        self._unavailable = unavailable
        self._refuse = refuse

    def ids(self) -> list[str]:
        return [event["id"] for event in self.taken]

    async def hook(self, request: Request) -> Response:
        body = await request.body()
        problem = self._check(request, body)
        if problem is not None:
            self.bad.append(problem)
            return Response(status_code=401)
        event = json.loads(body)
        self.tries[event["id"]] += 1
        if self._unavailable > 0:
            self._unavailable -= 1
            return Response(status_code=503)
        if event["id"] in self._refuse:
            return Response(status_code=500)
        self.taken.append(event)
        return Response(status_code=204)

    def _check(self, request: Request, body: bytes) -> str | None:
        timestamp = request.headers.get("x-fengqiao-timestamp", "")
        signature = request.headers.get("x-fengqiao-signature", "")
        expected = webhook_signature(webhook_secret(self.agency), timestamp, body)
        if not hmac.compare_digest(signature, expected):
            return f"bad signature {signature!r}"
        if abs(time.time() - int(timestamp)) > 300:
            return f"stale timestamp {timestamp}"
        if not request.headers.get("content-type", "").startswith("application/cloudevents+json"):
            return f"content-type {request.headers.get('content-type')}"
        event = json.loads(body)
        from_attributes({k: v for k, v in event.items() if k != "data"}, event["data"])
        if (
            not request.headers.get("ce-id")
            == request.headers.get("idempotency-key")
            == event["id"]
        ):
            return "ce-id and Idempotency-Key must name the event"
        return None

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        app = Starlette(routes=[Route("/hooks/fengqiao", self.hook, methods=["POST"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        await until(lambda: server.started or task.done(), "the receiver to listen")
        try:
            yield
        finally:
            server.should_exit = True
            await task


@asynccontextmanager
async def delivering(deliverer: WebhookDeliverer) -> AsyncIterator[None]:
    task = asyncio.create_task(deliverer.run())
    try:
        yield
    finally:
        deliverer.stop()
        await task


async def committed_offsets(
    bootstrap: KafkaSettings, agency: str
) -> dict[int, tuple[int | None, int]]:
    """Partition → (the deliverer group's committed offset, the end of the in-topic)."""
    topic = topics.inbound(agency)
    admin = AIOKafkaAdminClient(**bootstrap.client_args())
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
        committed = await admin.list_consumer_group_offsets(group_of(agency))
    finally:
        await admin.close()
    tps = [TopicPartition(topic, p["partition"]) for t in described for p in t["partitions"]]
    consumer = AIOKafkaConsumer(**bootstrap.client_args())
    await consumer.start()
    try:
        ends = await consumer.end_offsets(tps)
    finally:
        await consumer.stop()
    assert tps, f"{topic} has partitions"
    return {
        tp.partition: (committed[tp].offset if tp in committed else None, ends[tp]) for tp in tps
    }


def all_committed(offsets: dict[int, tuple[int | None, int]]) -> bool:
    return all((done or 0) == end for done, end in offsets.values())  # empty: no commit


async def test_every_event_reaches_a_recovering_endpoint_once_in_order_per_case(
    kafka: KafkaSettings,
) -> None:
    agency = f"dept-{uuid.uuid4().hex[:8]}"
    cases = [f"case-{uuid.uuid4().hex[:8]}" for _ in range(5)]
    events = [transferred(case, agency) for case in cases]
    events += [accepted(cases[n % 5], agency, n) for n in range(45)]
    async with EventProducer(kafka) as producer:
        await producer.publish_many([(topics.inbound(agency), e, None) for e in events])

    receiver = Receiver(agency, unavailable=6)
    deliverer = WebhookDeliverer(agency, receiver.url, kafka=kafka, policy=QUICK)
    async with delivering(deliverer):
        # Nothing listens yet: connection refusals open the breaker; then 503s; then it heals.
        await until(lambda: deliverer.circuit() is not CircuitState.CLOSED, "the breaker to open")
        async with receiver.serving():
            await until(lambda: len(receiver.taken) >= len(events), "every event")

    assert receiver.bad == []
    assert Counter(receiver.ids()) == Counter(e.id for e in events), "each event exactly once"
    for case in cases:
        got = [event["id"] for event in receiver.taken if event["subject"] == case]
        assert got == [e.id for e in events if e.subject == case], f"order of {case}"
    first = next(event for event in receiver.taken if event["id"] == events[0].id)
    assert first["data"] == events[0].data and first["type"] == "case.transferred.v1"
    assert "signature" not in first, "no null attributes in the structured event"
    assert sum(receiver.tries.values()) == len(events) + 6, "the 503s were retried"
    offsets = await committed_offsets(kafka, agency)
    assert all_committed(offsets), f"a restart would send again: {offsets}"
    letters = await read_dead_letters(kafka)
    assert not [d for d in letters if d.topic == topics.inbound(agency)]


async def test_what_the_endpoint_never_takes_is_dead_lettered_and_delivery_goes_on(
    kafka: KafkaSettings,
) -> None:
    agency = f"dept-{uuid.uuid4().hex[:8]}"
    case = f"case-{uuid.uuid4().hex[:8]}"
    broken, doomed, after = (
        transferred(case, agency),
        accepted(case, agency, 1),
        accepted(case, agency, 2),
    )
    record = to_record(broken)
    async with EventProducer(kafka) as producer:
        topic = topics.inbound(agency)
        await producer.publish_raw(
            topic, key=record.key, value=record.value[:-5], headers=record.headers
        )
        await producer.publish_many([(topic, doomed, None), (topic, after, None)])

    receiver = Receiver(agency, refuse=frozenset({doomed.id}))
    policy = WebhookPolicy(
        retry=RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05),
        failure_threshold=2,
        cooldown_s=0.2,
    )
    deliverer = WebhookDeliverer(agency, receiver.url, kafka=kafka, policy=policy)
    async with receiver.serving(), delivering(deliverer):
        await until(lambda: after.id in receiver.ids(), "the event behind the refused one")

    assert receiver.ids() == [after.id], "the refused event was never taken, the next one was"
    assert receiver.tries[doomed.id] == 3
    letters = {
        dict(d.headers)["ce_id"].decode(): d
        for d in await read_dead_letters(kafka)
        if d.topic == topics.inbound(agency)
    }
    assert set(letters) == {broken.id, doomed.id}
    refused = letters[doomed.id]
    assert refused.reason == "webhook_failed" and refused.attempts == 3
    assert refused.detail.startswith("webhook: ") and "HTTP 500" in refused.detail
    assert refused.group == group_of(agency)
    assert letters[broken.id].reason == "malformed_json" and letters[broken.id].attempts == 0
    offsets = await committed_offsets(kafka, agency)
    assert all_committed(offsets), f"dead-lettered records are committed too: {offsets}"


async def test_deliveries_follow_the_registry(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document]
) -> None:
    agency = f"dept-{uuid.uuid4().hex[:8]}"
    case = f"case-{uuid.uuid4().hex[:8]}"
    old, new = Receiver(agency), Receiver(agency)
    store = RegistryStore(mongo_db, refresh_s=0.0)
    entry = registered(agency, old.url)
    kafka_mode = registered(f"police-{agency}", None)
    await store.put(entry)
    await store.put(kafka_mode)
    deliveries = WebhookDeliveries(store, kafka=kafka, policy=QUICK, recheck_s=0.1)
    first, second = transferred(case, agency), accepted(case, agency, 1)
    async with EventProducer(kafka) as producer, old.serving(), new.serving():
        deliveries.start()
        try:
            await producer.publish(topics.inbound(agency), first)
            await until(lambda: old.ids() == [first.id], "the first event at the old URL")
            assert deliveries.endpoints() == {agency: old.url}, "only webhook-mode agencies"

            await store.put(registered(agency, new.url))
            await until(lambda: deliveries.endpoints() == {agency: new.url}, "the restart")
            await producer.publish(topics.inbound(agency), second)
            await until(lambda: new.ids() == [second.id], "the second event at the new URL")

            await store.set_disabled(agency, True)
            await until(lambda: deliveries.endpoints() == {}, "the disabled agency's stop")
        finally:
            await deliveries.close()
    assert old.ids() == [first.id], "nothing sent twice, nothing sent to the old URL after"
    assert old.bad == new.bad == []


async def test_a_deliverer_outlives_an_absent_broker_and_stops_when_asked() -> None:
    receiver = Receiver("dept-nowhere")
    deliverer = WebhookDeliverer(
        "dept-nowhere",
        receiver.url,
        kafka=KafkaSettings(bootstrap_servers=f"127.0.0.1:{free_port()}"),
        policy=QUICK,
    )
    task = asyncio.create_task(deliverer.run())
    await asyncio.sleep(1.0)  # a few failed connection attempts
    assert not task.done(), "it keeps trying instead of giving up"
    deliverer.stop()
    await asyncio.wait_for(task, 30)
