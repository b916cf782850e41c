"""Keeps one webhook deliverer running per enabled webhook-mode agency, following the registry:
a new agency starts one, a changed URL restarts it, a disabled or removed agency stops it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Protocol

from fengqiao.messaging import EventProducer
from fengqiao.settings import KafkaSettings
from gateway.domain.registry import Delivery, Registry
from gateway.exchange.webhooks import WebhookDeliverer, WebhookPolicy

log = logging.getLogger(__name__)


class RegistrySource(Protocol):
    async def current(self) -> Registry: ...


@dataclass
class _Running:
    deliverer: WebhookDeliverer
    task: asyncio.Task[None]


class WebhookDeliveries:
    """One deliverer per enabled webhook-mode agency, following the registry as it changes."""

    def __init__(
        self,
        registry: RegistrySource,
        *,
        kafka: KafkaSettings,
        producer: EventProducer | None = None,
        policy: WebhookPolicy | None = None,
        recheck_s: float = 5.0,
        grace_s: float = 15.0,
    ) -> None:
        self._registry = registry
        self._kafka = kafka
        self._producer = producer
        self._policy = policy
        self._recheck_s = recheck_s
        self._grace_s = grace_s
        self._running: dict[str, _Running] = {}
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def endpoints(self) -> dict[str, str]:
        """Agency id → URL of each deliverer running now."""
        return {agency_id: run.deliverer.url for agency_id, run in self._running.items()}

    def start(self) -> None:
        """Run in the background (an app's lifespan); ``close()`` ends it."""
        self._task = asyncio.create_task(self.run(), name="webhook-deliveries")

    async def close(self) -> None:
        self.stop()
        if self._task is not None:
            await self._task

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    await self._follow(await self._registry.current())
                except Exception as error:  # the store is away: keep what runs, look again
                    log.warning("webhook registry check failed (%r); retrying", error)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._recheck_s)
        finally:
            await asyncio.gather(*(self._end(agency_id) for agency_id in list(self._running)))

    async def _follow(self, registry: Registry) -> None:
        wanted = {
            a.id: str(a.webhook_url)
            for a in registry.agencies
            if a.delivery is Delivery.WEBHOOK and not a.disabled and a.webhook_url is not None
        }
        for agency_id, run in list(self._running.items()):
            if wanted.get(agency_id) != run.deliverer.url or run.task.done():
                # Ended before a successor starts, so one agency never has two senders at once.
                await self._end(agency_id)
        for agency_id, url in wanted.items():
            if agency_id not in self._running and not self._stopping.is_set():
                deliverer = WebhookDeliverer(
                    agency_id,
                    url,
                    kafka=self._kafka,
                    producer=self._producer,
                    policy=self._policy,
                )
                task = asyncio.create_task(deliverer.run(), name=f"webhook-{agency_id}")
                self._running[agency_id] = _Running(deliverer, task)
                log.info("webhook delivery to %s at %s started", agency_id, url)

    async def _end(self, agency_id: str) -> None:
        run = self._running.pop(agency_id)
        run.deliverer.stop()
        try:
            await asyncio.wait_for(run.task, self._grace_s)  # on timeout it is cancelled
        except Exception as error:
            log.warning("webhook delivery to %s ended badly: %r", agency_id, error)
        log.info("webhook delivery to %s stopped", agency_id)
