"""The gateway's long-running loops, started with the app and stopped with it: the router and
the audit archive (on the one routing replica), the webhook deliveries, and the preparation of
the registry seed and the edge's producer."""

from __future__ import annotations

import asyncio

from fengqiao.messaging import EventProducer
from fengqiao.messaging.lifecycle import until_done
from fengqiao.runtime import Runtime
from gateway.adapters.audit_log import AuditArchive
from gateway.bootstrap import Gateway, gateway_of
from gateway.domain.loading import load_registry
from gateway.exchange.deliveries import WebhookDeliveries
from gateway.exchange.judging import Exchange
from gateway.exchange.router import Router

TASKS = "gateway-tasks"
STOP_GRACE_S = 10.0


async def _prepare(gateway: Gateway) -> None:
    """Seed the registry and start the edge's producer, waiting for the store and broker."""
    seed = load_registry(gateway.settings.registry_file)
    await until_done("registry seed", lambda: gateway.registry.seed(seed))
    producer = EventProducer(gateway.kafka, client_id="fengqiao-gateway-edge")
    await until_done("edge producer", producer.start)
    gateway.producer = producer


async def start(runtime: Runtime) -> None:
    gateway = gateway_of(runtime)
    settings = gateway.settings

    async def exchange() -> Exchange:
        return Exchange(
            registry=await gateway.registry.current(),
            key_of=gateway.key_of,
            agency=gateway.agency,
            signing_key=gateway.signing_key,
            limit=settings.max_event_bytes,
            group=settings.router_group,
        )

    router = Router(kafka=gateway.kafka, settings=settings, exchange=exchange)
    archive = AuditArchive(
        runtime.db,
        gateway.kafka,
        topic=settings.audit_topic,
        group=f"{settings.router_group}-audit",
    )
    # Each deliverer owns its producer and reconnects by itself when Kafka was away at start.
    webhooks = WebhookDeliveries(gateway.registry, kafka=gateway.kafka)
    loops: list[Router | AuditArchive | WebhookDeliveries] = [webhooks]
    if settings.run_router:  # one writer of the audit chain; see GatewaySettings.run_router
        runtime.state["router"] = router
        loops += [router, archive]
    runtime.background(_prepare(gateway), name="gateway-prepare")
    runtime.state[TASKS] = [(loop, asyncio.create_task(loop.run())) for loop in loops]


async def stop(runtime: Runtime) -> None:
    running = runtime.state.pop(TASKS)
    for loop, _ in running:
        loop.stop()
    tasks = [task for _, task in running]
    # A loop still waiting on a broker or store that is away may not notice the request in
    # time; shutting down must not hang on it (a cut-off loop is no worse than a crash).
    _, late = await asyncio.wait(tasks, timeout=STOP_GRACE_S)
    for task in late:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    gateway = gateway_of(runtime)
    if gateway.producer is not None:
        await gateway.producer.stop()
