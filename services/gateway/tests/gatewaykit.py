"""A running gateway for integration tests, with a registry of test agencies of its own.

Every name a gateway shares with others on the broker (agency ids, router group, transactional
id, audit topic) carries a fresh suffix, so tests never see each other's exchanges.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from aiokafka import AIOKafkaConsumer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.codes import AgencyKind, Level
from fengqiao.contracts.envelope import from_record
from fengqiao.contracts.registry import EventData
from fengqiao.messaging import EventProducer
from fengqiao.runtime import Runtime
from fengqiao.security import clear_secret_cache
from fengqiao.security.signing import public_key_text, sign
from fengqiao.settings import KafkaSettings
from fengqiao.storage import connect
from fengqiao.testing import staff_headers, until
from gateway.bootstrap import gateway_of
from gateway.domain.loading import load_registry
from gateway.domain.registry import Agency, Registry

KEYS = ("SIGNING_KEY", "TOKEN_KEY", "AGENCY_TOKEN_KEY", "CLIENT_KEY", "WEBHOOK_KEY", "OPEN311_KEY")


def random_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@dataclass
class Exchange:
    """The default registry's agencies (plus a social force), renamed ``<id>-<suffix>``, each
    with a signing key of its own."""

    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)
    agencies: list[Agency] = field(default_factory=list)

    def __post_init__(self) -> None:
        volunteers = Agency(
            id="volunteers",
            name_zh="志愿者协会",
            name_en="volunteers",
            kind=AgencyKind.SOCIAL_FORCE,
            level=Level.TOWN,
            sends=[{"type": "case.*", "to": [AgencyKind.HUB]}],
            receives=["case.*", "exchange.*"],
        )
        for agency in [*load_registry().agencies, volunteers]:
            key = Ed25519PrivateKey.generate()
            renamed = self.id(agency.id)
            self.keys[renamed] = key
            self.agencies.append(
                agency.model_copy(update={"id": renamed, "public_key": public_key_text(key)})
            )

    def id(self, base: str) -> str:
        return f"{base}-{self.suffix}"

    @property
    def registry(self) -> Registry:
        return Registry(version="test", agencies=self.agencies)

    def of_kind(self, kind: AgencyKind) -> Agency:
        return next(a for a in self.agencies if a.kind is kind)

    def envelope(
        self, sender: str, data: EventData, *, recipient: str, subject: str | None = None
    ) -> Envelope:
        """An event from ``sender``, signed with its key."""
        unsigned = new_envelope(
            data, source=f"/agencies/{sender}", subject=subject, recipient=recipient
        )
        return sign(unsigned, self.keys[sender])

    def configure(
        self,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
        *,
        kafka: KafkaSettings,
        mongo: str,
        **settings: str,
    ) -> None:
        """Environment for a gateway that routes this exchange's agencies only."""
        path = tmp_path / "agencies.yaml"
        data = self.registry.model_dump(mode="json", exclude_none=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        env = {
            **kafka.as_env(),
            "MONGODB_URI": mongo,
            "FENGQIAO_GATEWAY_AGENCY_ID": self.id("gateway"),
            "FENGQIAO_GATEWAY_DATABASE": f"test_gateway_{self.suffix}",
            "FENGQIAO_GATEWAY_REGISTRY_FILE": str(path),
            "FENGQIAO_GATEWAY_ROUTER_GROUP": f"router-{self.suffix}",
            "FENGQIAO_GATEWAY_TRANSACTIONAL_ID": f"router-{self.suffix}",
            "FENGQIAO_GATEWAY_AUDIT_TOPIC": f"test.audit.{self.suffix}",
            "FENGQIAO_GATEWAY_ROUTE_PATTERN": rf"^xchg\.out\.[a-z0-9_-]+-{self.suffix}$",
            "FENGQIAO_GATEWAY_HUB_AGENCY": self.id("intake"),
            **{f"FENGQIAO_GATEWAY_{k.upper()}": v for k, v in settings.items()},
        }
        env |= {f"FENGQIAO_GATEWAY_{name}": random_key() for name in KEYS}
        gateway_key = self.keys[self.id("gateway")]
        env["FENGQIAO_GATEWAY_SIGNING_KEY"] = private_key_text(gateway_key)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        clear_secret_cache()

    def admin(self) -> dict[str, str]:
        return staff_headers(
            "gateway", agency=self.id("gateway"), roles=["admin"], name="周管理", subject="admin-1"
        )


class Inboxes:
    """Everything the gateway writes to this exchange's ``in`` topics, read committed."""

    def __init__(self, kafka: KafkaSettings, suffix: str) -> None:
        self.received: list[tuple[str, Envelope]] = []  # (recipient agency, event)
        self._consumer = AIOKafkaConsumer(
            **kafka.client_args(),
            group_id=f"inboxes-{uuid.uuid4().hex[:8]}",
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            metadata_max_age_ms=1000,
        )
        self._pattern = rf"^xchg\.in\.[a-z0-9_-]+-{suffix}$"

    def at(self, agency: str) -> list[Envelope]:
        return [e for a, e in self.received if a == agency]

    async def wait_for(
        self, match: Callable[[str, Envelope], bool], count: int, timeout_s: float = 90
    ) -> list[tuple[str, Envelope]]:
        def enough() -> list[tuple[str, Envelope]] | None:
            found = [(a, e) for a, e in self.received if match(a, e)]
            return found if len(found) >= count else None

        return await until(enough, f"{count} such events", timeout_s=timeout_s, every_s=0.2)

    async def _collect(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for r in records:
                    envelope = from_record(r.value, r.headers)
                    self.received.append((topics.agency_of(r.topic), envelope))

    @contextlib.asynccontextmanager
    async def listening(self) -> AsyncIterator[Inboxes]:
        self._consumer.subscribe(pattern=self._pattern)
        await self._consumer.start()
        task = asyncio.create_task(self._collect())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await self._consumer.stop()


async def publish(producer: EventProducer, envelope: Envelope, sender: str) -> None:
    await producer.publish(topics.outbound(sender), envelope)


@contextlib.asynccontextmanager
async def running_gateway() -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The gateway app in this process, configured from the environment set by configure()."""
    from gateway.main import create_app

    app = create_app()
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        # the registry is seeded, the edge open
        await until(lambda: gateway_of(runtime).producer is not None, "the gateway to get ready")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            try:
                yield client, runtime
            finally:
                await runtime.mongo.drop_database(runtime.db.name)


def private_key_text(key: Ed25519PrivateKey) -> str:
    return base64.urlsafe_b64encode(key.private_bytes_raw()).decode()


def bound_socket() -> socket.socket:
    """A socket on a free local port, bound now so its URL is known before a server runs."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextlib.asynccontextmanager
async def serving(app: Any, sock: socket.socket | None = None) -> AsyncIterator[str]:
    """``app`` behind uvicorn on a real port (with its lifespan), as a user runs it; its URL."""
    sock = sock or bound_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:

        def started() -> bool:
            if task.done():
                task.result()  # it failed to start: show why
            return server.started

        await until(started, "the server to start", every_s=0.05)
        yield url_of(sock)
    finally:
        server.should_exit = True
        await task
        sock.close()


@contextlib.asynccontextmanager
async def serving_hub(
    exchange: Exchange,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    kafka: KafkaSettings,
    mongo: str,
    policy_changes: dict[str, Any] | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """A real hub on a real port, as this exchange's ``intake-<suffix>`` agency with its key;
    the gateway is pointed at it. Yields a client of the hub's API."""
    from hubkit import configure_hub
    from intake.main import create_app

    configure_hub(monkeypatch, tmp_path, kafka=kafka, mongo=mongo, policy_changes=policy_changes)
    hub = exchange.id("intake")
    monkeypatch.setenv("FENGQIAO_INTAKE_AGENCY_ID", hub)
    monkeypatch.setenv("FENGQIAO_INTAKE_DATABASE", f"test_{hub}")
    monkeypatch.setenv("FENGQIAO_INTAKE_SIGNING_KEY", private_key_text(exchange.keys[hub]))
    clear_secret_cache()
    sock = bound_socket()
    monkeypatch.setenv("FENGQIAO_GATEWAY_HUB_URL", url_of(sock))
    try:
        async with serving(create_app(), sock) as url, httpx.AsyncClient(base_url=url) as client:
            yield client
    finally:
        store = connect(mongo)
        await store.drop_database(f"test_{hub}")
        await store.close()


@contextlib.asynccontextmanager
async def serving_force(
    exchange: Exchange,
    monkeypatch: pytest.MonkeyPatch,
    service: str,
    **settings: str,
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """A force's service (grid, police, court…) in this process as this exchange's
    ``<service>-<suffix>`` agency with its key and a database of its own; ``settings`` are its
    own (``hub_agency=…`` sets ``FENGQIAO_<SERVICE>_HUB_AGENCY``). Yields a client of its API."""
    from fengqiao.catalog import spec_of

    agency = exchange.id(service)
    env = {
        "AGENCY_ID": agency,
        "SIGNING_KEY": private_key_text(exchange.keys[agency]),
        "DATABASE": f"test_{agency}",
        "TOKEN_KEY": random_key(),
        "FIELD_KEY": random_key(),
        **{name.upper(): value for name, value in settings.items()},
    }
    for name, value in env.items():
        monkeypatch.setenv(f"FENGQIAO_{service.upper()}_{name}", value)
    clear_secret_cache()
    main = importlib.import_module(f"{spec_of(service).package}.main")
    app = main.create_app()
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as c:
                yield c, runtime
        finally:
            await runtime.mongo.drop_database(runtime.db.name)
