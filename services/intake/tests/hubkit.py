"""A running hub for integration tests, and forces played by a test speaking only events."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from fengqiao.catalog import spec_of
from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.registry import EventData
from fengqiao.messaging import EventConsumer, EventProducer
from fengqiao.runtime import Runtime
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from intake.domain.policy import default_policy


class Forces:
    """Reads what the hub sends (xchg.out.<hub>) and answers as any agency (xchg.in.<hub>)."""

    def __init__(self, bootstrap: KafkaSettings, hub: str, producer: EventProducer) -> None:
        self.hub = hub
        self.sent: list[Envelope] = []
        self._producer = producer
        self._consumer = EventConsumer(
            kafka=bootstrap,
            group_id=f"forces-{uuid.uuid4().hex[:8]}",
            topics=[topics.outbound(hub)],
            handler=self._keep,
            producer=producer,
            dead_letter_topic=topics.dead_letters(hub),
        )

    async def _keep(self, envelope: Envelope) -> None:
        self.sent.append(envelope)

    async def say(self, agency: str, data: EventData, *, subject: str) -> Envelope:
        envelope = new_envelope(
            data, source=f"/agencies/{agency}", subject=subject, recipient=self.hub
        )
        await self._producer.publish(topics.inbound(self.hub), envelope)
        return envelope

    async def received(
        self, match: Callable[[Envelope], bool], count: int = 1, timeout_s: float = 60
    ) -> list[Envelope]:
        def enough() -> list[Envelope] | None:
            found = [e for e in self.sent if match(e)]
            return found if len(found) >= count else None

        return await until(enough, f"{count} such events from {self.hub}", timeout_s=timeout_s)

    @contextlib.asynccontextmanager
    async def listening(self) -> AsyncIterator[Forces]:
        await self._consumer.start()
        task = asyncio.create_task(self._consumer.run())
        try:
            yield self
        finally:
            self._consumer.stop()
            await task
            await self._consumer.close()


def configure_hub(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    *,
    kafka: KafkaSettings,
    mongo: str,
    policy_changes: dict[str, Any] | None = None,
) -> str:
    """Environment for a hub with its own agency id, database, keys and policy; its agency id."""
    agency = f"hub-{uuid.uuid4().hex[:8]}"
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongo,
        "FENGQIAO_INTAKE_AGENCY_ID": agency,
        "FENGQIAO_INTAKE_DATABASE": f"test_{agency}",
        "FENGQIAO_INTAKE_SUPERVISION_INTERVAL_S": "0.3",
    }
    for purpose in ("TOKEN_KEY", "FIELD_KEY", "TRACKING_KEY"):
        env[f"FENGQIAO_INTAKE_{purpose}"] = base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode()
    if policy_changes:
        policy = default_policy().model_dump(mode="json", exclude={"calendar"})
        path = tmp_path / "policy.yaml"
        path.write_text(yaml.safe_dump({**policy, **policy_changes}, allow_unicode=True))
        env["FENGQIAO_INTAKE_POLICY_FILE"] = str(path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    clear_secret_cache()
    return agency


def staff(agency: str, *roles: str, name: str = "王窗口") -> dict[str, str]:
    return staff_headers("intake", agency=agency, roles=roles or ("officer",), name=name)


@contextlib.asynccontextmanager
async def running_service(
    service: str, kafka: KafkaSettings
) -> AsyncIterator[tuple[httpx.AsyncClient, Forces, Runtime]]:
    """``service``'s app in this process (configured from the environment), a client of its API,
    and ``Forces`` reading what it sends and answering as any agency; its database is dropped."""
    main = importlib.import_module(f"{spec_of(service).package}.main")
    app = main.create_app()
    async with app.router.lifespan_context(app), EventProducer(kafka) as producer:
        runtime: Runtime = app.state.runtime
        forces = Forces(kafka, runtime.settings.agency_id, producer)
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as client,
            forces.listening(),
        ):
            try:
                yield client, forces, runtime
            finally:
                await runtime.mongo.drop_database(runtime.db.name)


def running_hub(
    kafka: KafkaSettings,
) -> contextlib.AbstractAsyncContextManager[tuple[httpx.AsyncClient, Forces, Runtime]]:
    return running_service("intake", kafka)
