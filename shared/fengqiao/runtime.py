"""What a running service holds: its settings, its database, and checks of its dependencies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka.client import AIOKafkaClient
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from fengqiao.catalog import ServiceSpec
from fengqiao.messaging.access import refused_identity
from fengqiao.messaging.pump import MessagePump, Wiring
from fengqiao.security.signing import agency_signing_key
from fengqiao.settings import InfraSettings, ServiceSettings
from fengqiao.storage import IndexSpec, connect, ensure_indexes, mongo_ping
from fengqiao.storage.mongo import Document

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    spec: ServiceSpec
    settings: ServiceSettings
    infra: InfraSettings
    mongo: AsyncMongoClient[Document] = field(init=False)
    # What a service builds once at start and its routes and consumers share (e.g. its handlers'
    # dependencies), by name.
    state: dict[str, Any] = field(default_factory=dict, init=False)
    pump: MessagePump | None = field(default=None, init=False)
    _pump_task: asyncio.Task[None] | None = field(default=None, init=False)
    _index_task: asyncio.Task[None] | None = field(default=None, init=False)
    _background: list[asyncio.Task[None]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.mongo = connect(self.infra.mongodb_uri, timeout_s=self.settings.readiness_timeout_s)

    @property
    def db(self) -> AsyncDatabase[Document]:
        return self.mongo[self.settings.database]

    async def check_dependencies(self) -> dict[str, str | None]:
        """``{"kafka": None | reason, "mongodb": None | reason}``; None means reachable."""
        kafka, mongodb = await asyncio.gather(self._check_kafka(), self._check_mongo())
        return {"kafka": kafka, "mongodb": mongodb}

    async def _check_kafka(self) -> str | None:
        client = AIOKafkaClient(
            **self.infra.kafka.client_args(),
            request_timeout_ms=int(self.settings.readiness_timeout_s * 1000),
        )
        try:
            await asyncio.wait_for(client.bootstrap(), self.settings.readiness_timeout_s)
            return None
        except Exception as exc:
            refused = await refused_identity(self.infra.kafka, self.settings.readiness_timeout_s)
            return (
                refused
                or f"{self.infra.kafka.bootstrap_servers} unreachable ({type(exc).__name__})"
            )
        finally:
            await client.close()

    async def _check_mongo(self) -> str | None:
        try:
            await asyncio.wait_for(mongo_ping(self.mongo), self.settings.readiness_timeout_s)
            return None
        except Exception as exc:
            return f"server unreachable ({type(exc).__name__})"

    async def ensure_indexes(self, specs: Sequence[IndexSpec]) -> None:
        """Create the service's indexes; if the store is away, keep trying in the background."""
        try:
            await ensure_indexes(self.db, specs)
        except PyMongoError as error:
            log.warning("indexes not created yet (%r); retrying in the background", error)
            self._index_task = asyncio.create_task(self._retry_indexes(specs))

    async def _retry_indexes(self, specs: Sequence[IndexSpec]) -> None:
        while True:
            await asyncio.sleep(2.0)
            try:
                await ensure_indexes(self.db, specs)
                return
            except PyMongoError:
                continue

    def background(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        """Run start-up ``work`` beside the service (e.g. ``until_done``), cancelled at close()
        if it has not finished: the service answers, and reports not ready, meanwhile."""
        self._background.append(asyncio.create_task(work, name=name))

    def start_messaging(self, wiring: Wiring) -> None:
        """Run the service's consumer and outbox relay in the background until close()."""
        self.pump = MessagePump(
            kafka=self.infra.kafka,
            agency=self.settings.agency_id,
            wiring=wiring,
            signing_key=agency_signing_key(self.spec.name),
        )
        self._pump_task = asyncio.create_task(self.pump.run(), name=f"{self.spec.name}-messaging")

    async def stop_messaging(self) -> None:
        if self.pump is not None and self._pump_task is not None:
            self.pump.stop()
            await self._pump_task
            self._pump_task = None

    async def close(self) -> None:
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.stop_messaging()
        if self._index_task is not None:
            self._index_task.cancel()
        await self.mongo.close()
