"""A service under test in this process, and the agencies around it played by the test: what it
sends is read from its ``xchg.out`` topic, and answers reach it on its ``xchg.in`` topic, as they
would through the exchange."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
from fastapi import FastAPI

from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.registry import EventData
from fengqiao.messaging import EventConsumer, EventProducer
from fengqiao.runtime import Runtime
from fengqiao.settings import KafkaSettings
from fengqiao.testing.waiting import until


class Counterparts:
    """Reads what ``agency`` sends (``xchg.out.<agency>``) and answers it as any other agency
    (``xchg.in.<agency>``)."""

    def __init__(self, kafka: KafkaSettings, agency: str, producer: EventProducer) -> None:
        self.agency = agency
        self.sent: list[Envelope] = []
        self._producer = producer
        self._consumer = EventConsumer(
            kafka=kafka,
            group_id=f"counterparts-{uuid.uuid4().hex[:8]}",
            topics=[topics.outbound(agency)],
            handler=self._keep,
            producer=producer,
            dead_letter_topic=topics.dead_letters(agency),
        )

    async def _keep(self, envelope: Envelope) -> None:
        self.sent.append(envelope)

    async def say(self, sender: str, data: EventData, *, subject: str) -> Envelope:
        """``data`` from ``sender`` to the service, as the exchange would deliver it."""
        envelope = new_envelope(
            data, source=f"/agencies/{sender}", subject=subject, recipient=self.agency
        )
        await self._producer.publish(topics.inbound(self.agency), envelope)
        return envelope

    async def received(
        self, match: Callable[[Envelope], bool], count: int = 1, timeout_s: float = 60
    ) -> list[Envelope]:
        """The first ``count`` events the service sent that ``match`` (bounded wait)."""

        def enough() -> list[Envelope] | None:
            found = [e for e in self.sent if match(e)]
            return found if len(found) >= count else None

        what = f"{count} such events from {self.agency}"
        return await until(enough, what, timeout_s=timeout_s)

    @contextlib.asynccontextmanager
    async def listening(self) -> AsyncIterator[Counterparts]:
        await self._consumer.start()
        task = asyncio.create_task(self._consumer.run())
        try:
            yield self
        finally:
            self._consumer.stop()
            await task
            await self._consumer.close()


@contextlib.asynccontextmanager
async def running_service(
    create_app: Callable[[], FastAPI], kafka: KafkaSettings, *, name: str = "service"
) -> AsyncIterator[tuple[httpx.AsyncClient, Counterparts, Runtime]]:
    """The app ``create_app`` builds (configured from the environment at the call), started in
    this process; a client of its API; and its counterparts. Its database is dropped after."""
    app = create_app()
    async with app.router.lifespan_context(app), EventProducer(kafka) as producer:
        runtime: Runtime = app.state.runtime
        others = Counterparts(kafka, runtime.settings.agency_id, producer)
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as client,
            others.listening(),
        ):
            try:
                yield client, others, runtime
            finally:
                await runtime.mongo.drop_database(runtime.db.name)
