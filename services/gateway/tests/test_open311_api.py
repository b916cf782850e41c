"""The citizens' edge in process: Open311 and /track against the real broker, store and hub."""

from __future__ import annotations

import base64
import contextlib
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from fengqiao.catalog import spec_of
from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.envelope import ContractError, from_record
from fengqiao.contracts.events import CaseRegistered
from fengqiao.messaging import EventProducer
from fengqiao.messaging.consumer import Rejected
from fengqiao.runtime import Runtime
from fengqiao.security import clear_secret_cache
from fengqiao.security.signing import verify
from fengqiao.settings import InfraSettings, KafkaSettings, service_settings
from fengqiao.storage import connect
from fengqiao.testing import until
from fengqiao.web.problems import install_problem_handlers
from gateway.adapters.credentials import open311_key
from gateway.adapters.open311_store import INDEXES
from gateway.api import open311, track
from gateway.bootstrap import gateway_of
from gateway.handlers.open311 import on_registered
from gatewaykit import bound_socket, serving, url_of
from hubkit import configure_hub

pytestmark = pytest.mark.integration
NOW = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)

REQUEST = {
    "service_code": "neighbour",
    "description": "邻居围墙越界，占了我家菜地",
    "lat": "21.95",
    "long": "112.85",
    "first_name": "三",
    "last_name": "张",
    "phone": "13800138000",
}


def random_key() -> bytes:
    return secrets.token_bytes(32)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def signing_key(
    monkeypatch: pytest.MonkeyPatch, kafka: KafkaSettings, mongodb_uri: str
) -> Iterator[Ed25519PrivateKey]:
    """The gateway's environment; its signing key, to check what it signs."""
    raw = random_key()
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongodb_uri,
        "FENGQIAO_GATEWAY_DATABASE": f"test_open311_{uuid.uuid4().hex[:8]}",
        "FENGQIAO_GATEWAY_SIGNING_KEY": base64.urlsafe_b64encode(raw).decode(),
        "FENGQIAO_GATEWAY_OPEN311_KEY": base64.urlsafe_b64encode(random_key()).decode(),
        "FENGQIAO_GATEWAY_HUB_URL": f"http://127.0.0.1:{free_port()}",  # nobody listens
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("FENGQIAO_GATEWAY_AGENCY_ID", raising=False)
    clear_secret_cache()
    yield Ed25519PrivateKey.from_private_bytes(raw)
    clear_secret_cache()


def client_of(app: FastAPI, address: str = "203.0.113.7") -> httpx.AsyncClient:
    """A client reaching ``app`` from ``address`` (the rate limit's key)."""
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


@contextlib.asynccontextmanager
async def gateway_app(
    kafka: KafkaSettings | None,
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The Open311 and /track routers on the gateway's runtime; producing if ``kafka``."""
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(open311.router)
    app.include_router(track.router)
    runtime = Runtime(
        spec=spec_of("gateway"),
        settings=service_settings("gateway", port=8000),
        infra=InfraSettings(),
    )
    app.state.runtime = runtime
    runtime.state["app"] = app  # for a second client, from another address
    await runtime.ensure_indexes(INDEXES)
    async with contextlib.AsyncExitStack() as stack:
        if kafka is not None:
            gateway_of(runtime).producer = await stack.enter_async_context(EventProducer(kafka))
        http = await stack.enter_async_context(client_of(app))
        try:
            yield http, runtime
        finally:
            await runtime.mongo.drop_database(runtime.db.name)
            await runtime.close()


@contextlib.asynccontextmanager
async def serving_hub(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kafka: KafkaSettings, mongo: str
) -> AsyncIterator[str]:
    """A real hub on a real port, the gateway pointed at it; the hub's agency id."""
    agency = configure_hub(monkeypatch, tmp_path, kafka=kafka, mongo=mongo)
    from intake.main import create_app

    sock = bound_socket()
    monkeypatch.setenv("FENGQIAO_GATEWAY_HUB_URL", url_of(sock))
    monkeypatch.setenv("FENGQIAO_GATEWAY_HUB_AGENCY", agency)
    try:
        async with serving(create_app(), sock):
            yield agency
    finally:
        client = connect(mongo)
        await client.drop_database(f"test_{agency}")
        await client.close()


async def first_event(
    kafka: KafkaSettings, topic: str, match: Callable[[Envelope], bool], timeout_s: float = 90
) -> Envelope:
    """The first event on ``topic``, from its beginning, that ``match`` accepts."""
    consumer = AIOKafkaConsumer(
        topic,
        **kafka.client_args(),
        group_id=f"open311-test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        metadata_max_age_ms=1000,
    )
    await consumer.start()

    async def next_match() -> Envelope | None:
        for records in (await consumer.getmany(timeout_ms=500)).values():
            for record in records:
                with contextlib.suppress(ContractError):
                    envelope = from_record(record.value, record.headers)
                    if match(envelope):
                        return envelope
        return None

    try:
        return await until(next_match, f"such an event on {topic}", timeout_s=timeout_s)
    finally:
        await consumer.stop()


def errors_of(answer: httpx.Response) -> list[tuple[int, str]]:
    if answer.headers["content-type"].startswith("text/xml"):
        root = ElementTree.fromstring(answer.content)
        assert root.tag == "errors"
        return [(int(e.findtext("code") or 0), e.findtext("description") or "") for e in root]
    return [(e["code"], e["description"]) for e in answer.json()]


async def test_services_are_listed_and_defined_in_json_and_xml(
    signing_key: Ed25519PrivateKey,
) -> None:
    async with gateway_app(None) as (client, _):
        listed = (await client.get("/open311/v2/services.json")).json()
        assert {"service_code": "theft", "metadata": False, "type": "realtime"}.items() <= next(
            s for s in listed if s["service_code"] == "theft"
        ).items()
        answer = await client.get("/open311/v2/services.xml")
        assert answer.headers["content-type"].startswith("text/xml")
        codes = [s.findtext("service_code") for s in ElementTree.fromstring(answer.content)]
        assert codes == [s["service_code"] for s in listed]
        defined = await client.get("/open311/v2/services/water.json")
        assert defined.json() == {"service_code": "water", "attributes": []}
        missing = await client.get("/open311/v2/services/potholes.xml")
        assert missing.status_code == 404
        assert errors_of(missing) == [(404, "service_code 'potholes' not found")]
        odd = await client.get("/open311/v2/services.csv")
        assert odd.status_code == 404 and errors_of(odd)[0][0] == 404


async def test_a_bad_api_key_is_403_and_a_bad_request_400_in_its_format(
    signing_key: Ed25519PrivateKey,
) -> None:
    async with gateway_app(None) as (client, _):
        for fmt in ("json", "xml"):
            forged = await client.post(
                f"/open311/v2/requests.{fmt}",
                data={**REQUEST, "api_key": "app-1.Zm9yZ2Vk"},
            )
            assert forged.status_code == 403
            assert errors_of(forged) == [(403, "api_key is missing or not valid")]
        keyless = await client.post("/open311/v2/requests.json", data=REQUEST)
        assert keyless.status_code == 403
        incomplete = await client.post(
            "/open311/v2/requests.xml",
            data={"api_key": open311_key("app-1"), "description": "没有类别也没有地点"},
        )
        assert incomplete.status_code == 400
        assert [code for code, _ in errors_of(incomplete)] == [400, 400]
        assert "service_code is required" in errors_of(incomplete)[0][1]
        as_json = await client.post(
            "/open311/v2/requests.json",
            content=b'{"service_code": "theft"}',
            headers={"content-type": "application/json"},
        )
        assert as_json.status_code == 400
        for dates in (
            {"end_date": "0001-01-01T00:00:00"},
            {"start_date": "9999-12-31T23:59:59-23:00"},
            {"start_date": "yesterday"},
        ):
            listed = await client.get(
                "/open311/v2/requests.json", params={"api_key": open311_key("app-1"), **dates}
            )
            assert listed.status_code == 400, (dates, listed.text)
        # Valid, but the exchange is not connected: refused rather than lost.
        unsent = await client.post(
            "/open311/v2/requests.json", data={**REQUEST, "api_key": open311_key("app-1")}
        )
        assert unsent.status_code == 503


async def test_public_endpoints_answer_429_with_retry_after_per_client(
    signing_key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FENGQIAO_GATEWAY_PUBLIC_RATE_PER_MINUTE", "2")
    async with gateway_app(None) as (client, runtime):
        assert (await client.get("/open311/v2/services.json")).status_code == 200
        assert (await client.get("/open311/v2/services/theft.json")).status_code == 200
        for path in ("/open311/v2/services.json", "/track/FQ0123456789"):
            refused = await client.get(path)
            assert refused.status_code == 429
            assert refused.headers["content-type"] == "application/problem+json"
            assert refused.json()["status"] == 429
            assert 1 <= int(refused.headers["retry-after"]) <= 30
        # Another address has a bucket of its own (same app state, another peer).
        async with client_of(runtime.state["app"], "198.51.100.9") as second:
            assert (await second.get("/open311/v2/services.json")).status_code == 200


async def test_an_unreachable_hub_is_503_and_an_unknown_token_404(
    signing_key: Ed25519PrivateKey,
) -> None:
    async with gateway_app(None) as (client, runtime):
        tracked = await client.get("/track/FQ0123456789")
        assert tracked.status_code == 503
        assert tracked.headers["content-type"] == "application/problem+json"
        one = await client.get("/open311/v2/requests/FQ0123456789.json")
        assert one.status_code == 503 and errors_of(one)[0][0] == 503
        token = await client.get("/open311/v2/tokens/no-such-token.xml")
        assert token.status_code == 404 and errors_of(token)[0][0] == 404
        stray = CaseRegistered(
            case_id="c-1", external_ref="never-issued", tracking_code="FQ1", registered_at=NOW
        )
        with pytest.raises(Rejected):
            await on_registered(runtime.db)(new_envelope(stray, source="/agencies/intake"))


async def test_a_request_goes_signed_to_the_hub_and_is_followed_by_its_tracking_code(
    signing_key: Ed25519PrivateKey,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    kafka: KafkaSettings,
    mongodb_uri: str,
) -> None:
    api_key = open311_key("wechat-app")
    async with (
        serving_hub(monkeypatch, tmp_path, kafka, mongodb_uri) as hub,
        gateway_app(kafka) as (client, runtime),
        EventProducer(kafka) as producer,
    ):
        answer = await client.post(
            "/open311/v2/requests.json", data={**REQUEST, "api_key": api_key}
        )
        assert answer.status_code == 200, answer.text
        [taken] = answer.json()
        token = taken["token"]
        assert "hub" in taken["service_notice"]

        reported = await first_event(
            kafka,
            topics.outbound("gateway"),
            lambda e: e.type == "case.reported.v1" and e.data["external_ref"] == token,
        )
        assert (reported.source, reported.recipient, reported.subject) == (
            "/agencies/gateway",
            hub,
            None,
        )
        verify(reported, signing_key.public_key())  # signed with the gateway's own key
        assert reported.data["channel"] == "online"
        assert reported.data["category"] == "neighbour"
        assert reported.data["location"]["lat"] == 21.95
        assert [p["name"] for p in reported.data["parties"]] == ["张三"]

        pending = await client.get(f"/open311/v2/tokens/{token}.json")
        assert pending.status_code == 404

        # Playing the router: the hub takes the report and answers the gateway.
        await producer.publish(topics.inbound(hub), reported)
        registered = await first_event(
            kafka,
            topics.outbound(hub),
            lambda e: e.type == "case.registered.v1" and e.data["external_ref"] == token,
        )
        assert registered.recipient == "gateway"
        handle = on_registered(runtime.db)
        await handle(registered)
        await handle(registered)  # a redelivery changes nothing
        code = registered.data["tracking_code"]

        looked_up = await client.get(f"/open311/v2/tokens/{token}.json")
        assert looked_up.json() == [{"token": token, "service_request_id": code}]
        as_xml = ElementTree.fromstring(
            (await client.get(f"/open311/v2/tokens/{token}.xml")).content
        )
        assert as_xml.findtext("request/service_request_id") == code

        one = await client.get(f"/open311/v2/requests/{code}.json")
        assert one.status_code == 200, one.text
        [request] = one.json()
        assert request["service_request_id"] == code
        assert (request["status"], request["service_code"]) == ("open", "neighbour")
        assert request["status_notes"] == "已受理 / registered"
        xml = ElementTree.fromstring((await client.get(f"/open311/v2/requests/{code}.xml")).content)
        assert xml.findtext("request/status") == "open"
        unknown = await client.get("/open311/v2/requests/FQ0000000000.json")
        assert unknown.status_code == 404

        mine = await client.get("/open311/v2/requests.json", params={"api_key": api_key})
        assert [r["service_request_id"] for r in mine.json()] == [code]
        closed = await client.get(
            "/open311/v2/requests.json", params={"api_key": api_key, "status": "closed"}
        )
        assert closed.json() == []
        theirs = await client.get(
            "/open311/v2/requests.json", params={"api_key": open311_key("other-app")}
        )
        assert theirs.json() == []
        assert (await client.get("/open311/v2/requests.json")).status_code == 403

        tracked = await client.get(f"/track/{code}")
        assert tracked.json()["stage"]["code"] == "registered"
        assert tracked.headers["cache-control"] == "no-store"
        page = await client.get(f"/track/{code.lower()}", headers={"accept": "text/html"})
        assert page.headers["content-type"].startswith("text/html")
        assert "已受理" in page.text and "registered" in page.text and code in page.text
        lost = await client.get("/track/FQ0000000000", params={"format": "html"})
        assert lost.status_code == 404
        assert lost.headers["content-type"] == "application/problem+json"
