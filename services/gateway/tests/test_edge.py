"""The HTTP edge on the real broker and store: tokens, sending events, pulling events."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.catalog import spec_of
from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.envelope import from_record, to_record
from fengqiao.messaging import EventProducer
from fengqiao.runtime import Runtime
from fengqiao.security import clear_secret_cache
from fengqiao.security.signing import public_key_text, sign
from fengqiao.settings import InfraSettings, KafkaSettings, service_settings
from fengqiao.storage.mongo import Document
from fengqiao.testing import point_at_servers, until
from fengqiao.web.problems import install_problem_handlers
from gateway.adapters.credentials import client_secret
from gateway.adapters.open311_store import Open311Store
from gateway.adapters.registry_store import RegistryStore
from gateway.api import events as edge_routes
from gateway.bootstrap import Gateway
from gateway.domain.registry import Registry
from gateway.settings import GatewaySettings
from samples import sample

pytestmark = pytest.mark.integration

MAX_EVENT_BYTES = 8192
SENDS_TO_HUB = [{"type": "case.*", "to": ["hub"]}]


def random_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@dataclass
class Edge:
    client: httpx.AsyncClient
    store: RegistryStore
    producer: EventProducer
    kafka: KafkaSettings
    keys: dict[str, Ed25519PrivateKey]
    hub: str  # receives what the others send
    puller: str  # sends to the hub, takes delivery by pulling
    sender: str  # sends to the hub, takes delivery from Kafka itself
    idle: str  # sends nothing, Kafka delivery: no scope at all

    def event(self, sender: str, recipient: str, case_id: str, **changes: Any) -> Envelope:
        unsigned = new_envelope(
            sample("case.accepted.v1", case_id=case_id),
            source=f"/agencies/{sender}",
            subject=case_id,
            recipient=recipient,
        )
        return sign(unsigned.model_copy(update=changes), self.keys[sender])

    async def token(self, agency: str, scope: str | None = None) -> str:
        form = {"grant_type": "client_credentials", "client_id": agency}
        form["client_secret"] = client_secret(agency, await self.store.generation(agency) or 0)
        if scope is not None:
            form["scope"] = scope
        answer = await self.client.post("/oauth/token", data=form)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    async def bearer(self, agency: str, scope: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.token(agency, scope)}"}


def entry(agency_id: str, kind: str, key: Ed25519PrivateKey, **extra: Any) -> dict[str, Any]:
    return {
        "id": agency_id,
        "name_zh": agency_id,
        "name_en": agency_id,
        "kind": kind,
        "level": "county",
        "public_key": public_key_text(key),
        **extra,
    }


@pytest_asyncio.fixture(loop_scope="session")
async def edge(
    monkeypatch: pytest.MonkeyPatch,
    kafka: KafkaSettings,
    mongodb_uri: str,
    mongo_db: AsyncDatabase[Document],
) -> AsyncIterator[Edge]:
    point_at_servers(monkeypatch, kafka, mongodb_uri)
    for purpose in ("AGENCY_TOKEN_KEY", "CLIENT_KEY"):
        monkeypatch.setenv(f"FENGQIAO_GATEWAY_{purpose}", random_key())
    clear_secret_cache()
    ids = {role: f"dept-{uuid.uuid4().hex[:8]}" for role in ("puller", "sender", "idle")}
    ids["hub"] = f"hub-{uuid.uuid4().hex[:8]}"
    keys = {agency: Ed25519PrivateKey.generate() for agency in ids.values()}
    agencies = [
        entry(ids["hub"], "hub", keys[ids["hub"]], receives=["case.*"]),
        entry(
            ids["puller"],
            "department",
            keys[ids["puller"]],
            sends=SENDS_TO_HUB,
            receives=["case.*"],
            delivery="pull",
        ),
        entry(ids["sender"], "department", keys[ids["sender"]], sends=SENDS_TO_HUB),
        entry(ids["idle"], "department", keys[ids["idle"]], receives=["case.*"]),
    ]
    store = RegistryStore(mongo_db)
    await store.seed(Registry.model_validate({"version": "test", "agencies": agencies}))
    runtime = Runtime(
        spec=spec_of("gateway"),
        settings=service_settings("gateway", port=8000),
        infra=InfraSettings(),
    )
    producer = EventProducer(kafka)
    await producer.start()
    runtime.state["gateway"] = Gateway(
        settings=GatewaySettings(max_event_bytes=MAX_EVENT_BYTES),
        registry=store,
        agency=f"gw-{uuid.uuid4().hex[:8]}",
        signing_key=Ed25519PrivateKey.generate(),
        kafka=kafka,
        open311=Open311Store(mongo_db),
        producer=producer,
    )
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(edge_routes.router)
    app.state.runtime = runtime
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield Edge(client, store, producer, kafka, keys, **ids)
    finally:
        await producer.stop()
        await runtime.close()


async def records_on(kafka: KafkaSettings, topic: str, expected: int) -> list[Envelope]:
    """Every event on ``topic`` once ``expected`` have arrived; fails if there are more."""
    consumer = AIOKafkaConsumer(
        topic, **kafka.client_args(), group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        found: list[Envelope] = []

        async def all_arrived() -> bool:
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                found.extend(from_record(r.value, r.headers) for r in batch)
            return len(found) >= expected

        await until(all_arrived, f"{expected} records on {topic}")
        ends = await consumer.end_offsets(list(consumer.assignment()))
        assert sum(ends.values()) == expected, f"{sum(ends.values())} records on {topic}"
        return found
    finally:
        await consumer.stop()


def structured(envelope: Envelope) -> dict[str, Any]:
    return envelope.model_dump(mode="json", exclude_none=True)


# --- tokens ---------------------------------------------------------------------------------


async def test_a_token_is_issued_for_form_or_basic_credentials(edge: Edge) -> None:
    secret = client_secret(edge.puller, 1)
    by_form = await edge.client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": edge.puller,
            "client_secret": secret,
        },
    )
    by_basic = await edge.client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(edge.puller, secret)
    )
    for answer in (by_form, by_basic):
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        body = answer.json()
        assert body["token_type"] == "Bearer"
        assert body["scope"] == "events:read events:write"
        assert body["expires_in"] == GatewaySettings().token_ttl_s
        pulled = await edge.client.get(
            "/api/v1/events", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        assert pulled.status_code == 200, pulled.text
    narrowed = await edge.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "events:read"},
        auth=(edge.puller, secret),
    )
    assert narrowed.json()["scope"] == "events:read"


async def test_bad_token_requests_get_oauth_errors(edge: Edge) -> None:
    good = {"grant_type": "client_credentials", "client_id": edge.sender}
    good["client_secret"] = client_secret(edge.sender, 1)
    wrong = {**good, "client_secret": client_secret(edge.sender, 2)}
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"data": wrong}, 401, "invalid_client"),
        ({"data": {**good, "client_id": "dept-nobody"}}, 401, "invalid_client"),
        ({"data": {"grant_type": "client_credentials"}}, 401, "invalid_client"),
        ({"data": {**good, "grant_type": "password"}}, 400, "unsupported_grant_type"),
        ({"data": {k: v for k, v in good.items() if k != "grant_type"}}, 400, "invalid_request"),
        ({"json": good}, 400, "invalid_request"),
        ({"data": {**good, "scope": "events:read"}}, 400, "invalid_scope"),
        ({"data": {**good, "scope": "admin"}}, 400, "invalid_scope"),
        ({"data": good, "auth": (edge.sender, good["client_secret"])}, 400, "invalid_request"),
        (
            {"data": {"grant_type": "client_credentials"}, "headers": {"Authorization": "Basic !"}},
            401,
            "invalid_client",
        ),
    ]
    for request, status, error in cases:
        answer = await edge.client.post("/oauth/token", **request)
        assert (answer.status_code, answer.json()["error"]) == (status, error), request
        assert answer.json()["error_description"]
        assert answer.headers["cache-control"] == "no-store"
    idle = await edge.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(edge.idle, client_secret(edge.idle, 1)),
    )
    assert (idle.status_code, idle.json()["error"]) == (400, "invalid_scope")
    refused = await edge.client.post("/oauth/token", data=wrong)
    assert refused.headers["www-authenticate"].startswith("Basic")


async def test_rotating_or_disabling_an_agency_revokes_its_secret_and_tokens(edge: Edge) -> None:
    old_token = await edge.bearer(edge.puller)
    assert await edge.store.rotate(edge.puller) == 2
    old_secret = {"grant_type": "client_credentials", "client_id": edge.puller}
    old_secret["client_secret"] = client_secret(edge.puller, 1)
    refused = await edge.client.post("/oauth/token", data=old_secret)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    stale = await edge.client.get("/api/v1/events", headers=old_token)
    assert stale.status_code == 401
    assert 'error="invalid_token"' in stale.headers["www-authenticate"]
    assert "rotated" in stale.json()["detail"]

    new_token = await edge.bearer(edge.puller)  # the generation-2 secret works
    assert (await edge.client.get("/api/v1/events", headers=new_token)).status_code == 200
    await edge.store.set_disabled(edge.puller, True)
    disabled = await edge.client.post(
        "/oauth/token", data={**old_secret, "client_secret": client_secret(edge.puller, 2)}
    )
    assert (disabled.status_code, disabled.json()["error"]) == (401, "invalid_client")
    held = await edge.client.get("/api/v1/events", headers=new_token)
    assert held.status_code == 401
    assert "disabled" in held.json()["detail"]


async def test_calls_need_a_valid_token_with_the_right_scope(edge: Edge) -> None:
    missing = await edge.client.get("/api/v1/events")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    forged = await edge.client.get("/api/v1/events", headers={"Authorization": "Bearer x.y.z"})
    assert forged.status_code == 401
    assert 'error="invalid_token"' in forged.headers["www-authenticate"]

    kafka_agency = await edge.bearer(edge.sender)  # may send, reads its topic itself
    no_read = await edge.client.get("/api/v1/events", headers=kafka_agency)
    assert no_read.status_code == 403
    assert 'error="insufficient_scope"' in no_read.headers["www-authenticate"]
    read_only = await edge.bearer(edge.puller, "events:read")
    event = structured(edge.event(edge.puller, edge.hub, "c-1"))
    no_write = await edge.client.post("/api/v1/events", json=event, headers=read_only)
    assert no_write.status_code == 403
    assert no_write.headers["content-type"] == "application/problem+json"


# --- sending --------------------------------------------------------------------------------


async def test_posted_events_are_written_in_order_to_the_senders_out_topic(edge: Edge) -> None:
    auth = await edge.bearer(edge.puller)
    first = edge.event(edge.puller, edge.hub, "c-7")
    batch = [edge.event(edge.puller, edge.hub, "c-7"), edge.event(edge.puller, edge.hub, "c-7")]
    one = await edge.client.post(
        "/api/v1/events",
        content=json.dumps(structured(first)),
        headers={**auth, "Content-Type": "application/cloudevents+json"},
    )
    assert (one.status_code, one.json()) == (202, {"accepted": [first.id]})
    many = await edge.client.post(
        "/api/v1/events",
        content=json.dumps([structured(e) for e in batch]),
        headers={**auth, "Content-Type": "application/cloudevents-batch+json"},
    )
    assert many.json() == {"accepted": [e.id for e in batch]}
    written = await records_on(edge.kafka, topics.outbound(edge.puller), 3)
    assert written == [first, *batch]  # one case: one partition, in the order sent


async def test_a_batch_with_a_bad_event_is_refused_whole(edge: Edge) -> None:
    auth = await edge.bearer(edge.puller)
    good = structured(edge.event(edge.puller, edge.hub, "c-1"))
    tampered = {**good, "id": "e-tampered"}  # the signature covers the id
    invalid = structured(edge.event(edge.puller, edge.hub, "c-2"))
    del invalid["data"]["handler"]
    forbidden = structured(edge.event(edge.puller, edge.sender, "c-3"))  # not to a hub
    impostor = structured(edge.event(edge.sender, edge.hub, "c-4"))  # another agency's event
    batch = [good, tampered, invalid, forbidden, impostor, 7, {**good, "id": 5}]
    answer = await edge.client.post("/api/v1/events", json=batch, headers=auth)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    errors = {e["index"]: (e["id"], e["reason_code"]) for e in answer.json()["errors"]}
    assert errors == {
        1: ("e-tampered", "bad_signature"),
        2: (invalid["id"], "schema_invalid"),
        3: (forbidden["id"], "not_allowed_to_send"),
        4: (impostor["id"], "source_mismatch"),
        5: (None, "malformed_json"),
        6: (None, "invalid_attribute"),
    }
    assert all(e["reason"] for e in answer.json()["errors"])

    after = edge.event(edge.puller, edge.hub, "c-6")
    sent = await edge.client.post("/api/v1/events", json=structured(after), headers=auth)
    assert sent.status_code == 202
    assert await records_on(edge.kafka, topics.outbound(edge.puller), 1) == [after]


async def test_data_over_the_limit_is_refused_and_bodies_over_it_are_not_read(edge: Edge) -> None:
    auth = await edge.bearer(edge.sender)
    progress = sample("case.progressed.v1", case_id="c-1")
    # 12,000 bytes of UTF-8: within the contract's 5,000 characters, over the exchange's limit
    big = progress.model_copy(update={"note": "长" * 4000})
    envelope = sign(
        new_envelope(
            big,
            source=f"/agencies/{edge.sender}",
            subject="c-1",
            recipient=edge.hub,
        ),
        edge.keys[edge.sender],
    )
    answer = await edge.client.post("/api/v1/events", json=structured(envelope), headers=auth)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["reason_code"] == "too_large"
    body = b"[" + b" " * 2_000_000 + b"]"
    oversized = await edge.client.post(
        "/api/v1/events", content=body, headers={**auth, "Content-Type": "application/json"}
    )
    assert oversized.status_code == 413


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/json", b"{not json", 400),
        ("application/json", b"\xff\xfe\x00", 400),
        ("application/json", b"[" * 100_000 + b"]" * 100_000, 400),
        ("application/json", b"42", 400),
        ("application/json", b"[]", 400),
        ("application/cloudevents+json", b"[{}]", 400),
        ("application/cloudevents-batch+json", b"{}", 400),
        ("application/cloudevents+json", b"{}", 422),
        ("application/cloudevents+json", b'{"specversion": ["1.0"], "id": {}, "time": 1}', 422),
        ("application/json", b'[{"id":"x","source":"s","type":"t","specversion":"1.0"}]', 422),
        ("text/plain", b"{}", 415),
        ("", b"{}", 415),
    ],
)
async def test_garbage_gets_a_problem_never_a_500(
    edge: Edge, content_type: str, body: bytes, status: int
) -> None:
    auth = await edge.bearer(edge.sender)
    answer = await edge.client.post(
        "/api/v1/events", content=body, headers={**auth, "Content-Type": content_type}
    )
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"


# --- pulling --------------------------------------------------------------------------------


async def pull(edge: Edge, auth: dict[str, str], **params: Any) -> dict[str, Any]:
    answer = await edge.client.get("/api/v1/events", params=params, headers=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_pulling_pages_through_the_in_topic_with_cursors(edge: Edge) -> None:
    auth = await edge.bearer(edge.puller)
    empty = await pull(edge, auth)  # nothing was ever delivered: no topic yet
    assert (empty["events"], empty["skipped"]) == ([], 0)

    inbound = topics.inbound(edge.puller)
    sent = [
        new_envelope(
            sample("case.transferred.v1", case_id=f"c-{n % 4}"),
            source=f"/agencies/{edge.hub}",
            subject=f"c-{n % 4}",
            recipient=edge.puller,
        )
        for n in range(11)
    ]
    await edge.producer.publish_many([(inbound, e, None) for e in sent])
    await edge.producer.publish_raw(inbound, key=b"c-0", value=b"{broken", headers=[])

    pages, cursor = [], empty["next"]
    for _ in range(10):
        page = await pull(edge, auth, after=cursor, limit=4)
        assert page == await pull(edge, auth, after=cursor, limit=4)  # the same cursor, again
        if not page["events"]:
            break
        assert len(page["events"]) <= 4
        pages.append(page)
        cursor = page["next"]
    assert not page["events"] and page["next"] == cursor  # at the end, the cursor stays
    got = [Envelope.model_validate(e) for p in pages for e in p["events"]]
    assert sorted(e.id for e in got) == sorted(e.id for e in sent)
    assert sum(p["skipped"] for p in pages) == 1
    for case in {e.subject for e in sent}:
        assert [e.id for e in got if e.subject == case] == [e.id for e in sent if e.subject == case]
    assert got[0] == next(e for e in sent if e.id == got[0].id)
    again = await pull(edge, auth, limit=500)  # no cursor: from the beginning
    assert len(again["events"]) == 11 and again["next"] == cursor


async def test_pulling_sees_only_committed_transactions(edge: Edge) -> None:
    auth = await edge.bearer(edge.puller)
    inbound = topics.inbound(edge.puller)
    producer = AIOKafkaProducer(
        **edge.kafka.client_args(), transactional_id=f"test-{uuid.uuid4().hex[:8]}"
    )
    await producer.start()
    try:
        events = [
            new_envelope(sample("case.closed.v1", case_id=f"c-{n}"), source="/agencies/x")
            for n in range(5)
        ]
        async with producer.transaction():
            for e in events[:3]:
                record = to_record(e)
                await producer.send(inbound, record.value, key=record.key, headers=record.headers)
        await producer.begin_transaction()
        for e in events[3:]:
            record = to_record(e)
            await producer.send(inbound, record.value, key=record.key, headers=record.headers)
        await producer.abort_transaction()
    finally:
        await producer.stop()
    page = await asyncio.wait_for(pull(edge, auth), timeout=30)
    assert sorted(e["id"] for e in page["events"]) == sorted(e.id for e in events[:3])
    last = await pull(edge, auth, after=page["next"])  # over the markers, not waiting on them
    assert (last["events"], last["next"]) == ([], page["next"])


async def test_bad_cursors_and_limits_are_refused(edge: Edge) -> None:
    auth = await edge.bearer(edge.puller)
    await edge.producer.publish(
        topics.inbound(edge.puller),
        new_envelope(sample("case.closed.v1"), source="/agencies/x", subject="c-1"),
    )

    def cursor(positions: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(positions).encode()).decode().rstrip("=")

    start = await edge.client.get("/api/v1/events", params={"after": cursor({})}, headers=auth)
    assert len(start.json()["events"]) == 1
    for bad in [
        "garbage!",
        cursor([1, 2]),
        cursor({"0": -1}),
        cursor({"0": "1"}),
        cursor({"x": 1}),
        cursor({"999": 0}),  # no such partition
        cursor({"0": 10**9}),  # past the end
        "A" * 5000,
    ]:
        answer = await edge.client.get("/api/v1/events", params={"after": bad}, headers=auth)
        assert answer.status_code == 400, (bad, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    for limit in (0, 501, "x"):
        answer = await edge.client.get("/api/v1/events", params={"limit": limit}, headers=auth)
        assert answer.status_code == 422
