"""What a running service holds: its settings, its database, and checks of its dependencies."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiokafka.client import AIOKafkaClient
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.catalog import ServiceSpec
from fengqiao.settings import InfraSettings, ServiceSettings
from fengqiao.storage import connect, mongo_ping
from fengqiao.storage.mongo import Document


@dataclass
class Runtime:
    spec: ServiceSpec
    settings: ServiceSettings
    infra: InfraSettings
    mongo: AsyncMongoClient[Document] = field(init=False)

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
            bootstrap_servers=self.infra.kafka_bootstrap_servers,
            request_timeout_ms=int(self.settings.readiness_timeout_s * 1000),
        )
        try:
            await asyncio.wait_for(client.bootstrap(), self.settings.readiness_timeout_s)
            return None
        except Exception as exc:
            return f"{self.infra.kafka_bootstrap_servers} unreachable ({type(exc).__name__})"
        finally:
            await client.close()

    async def _check_mongo(self) -> str | None:
        try:
            await asyncio.wait_for(mongo_ping(self.mongo), self.settings.readiness_timeout_s)
            return None
        except Exception as exc:
            return f"server unreachable ({type(exc).__name__})"

    async def close(self) -> None:
        await self.mongo.close()
