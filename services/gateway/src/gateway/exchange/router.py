"""The router: consume every ``xchg.out.*``, judge, and write the deliveries, the audit chain,
the receipts and the dead letters in one Kafka transaction together with the consumed offsets
(consume–transform–produce). A crash anywhere aborts the open transaction; the next instance,
with the same transactional id, fences the old one and starts again from the committed offsets
and the committed end of the chain, so each event is routed exactly once."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from opentelemetry.trace import Span, SpanKind

from fengqiao.messaging.consumer import IDLE_WAIT_MS
from fengqiao.messaging.lifecycle import keep_running
from fengqiao.settings import KafkaSettings
from fengqiao.telemetry import context_from_headers, kafka_span, trace_headers
from gateway.adapters.audit_log import chain_head, ensure_audit_topic
from gateway.domain.audit import ChainHead
from gateway.exchange.judging import AUDIT, Exchange, Out, route
from gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

ExchangeOf = Callable[[], Awaitable[Exchange]]


class Router:
    def __init__(
        self, *, kafka: KafkaSettings, settings: GatewaySettings, exchange: ExchangeOf
    ) -> None:
        self._kafka = kafka
        self._settings = settings
        self._exchange = exchange
        self._stopping = asyncio.Event()
        self.routed = 0  # events routed since start, for metrics and tests
        self._known: set[str] = set()  # topics whose partition leaders the producer has seen

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Route until stop(); come back by itself when the broker goes away and returns."""
        await keep_running("router", self._run_once, self._stopping)

    async def _run_once(self) -> None:
        settings = self._settings
        await ensure_audit_topic(self._kafka, settings.audit_topic)
        producer = AIOKafkaProducer(
            **self._kafka.client_args(),
            transactional_id=settings.transactional_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            max_request_size=4 * 1024 * 1024,
        )
        consumer = AIOKafkaConsumer(
            **self._kafka.client_args(),
            group_id=settings.router_group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            metadata_max_age_ms=3000,  # a new agency's topic is picked up within seconds
            fetch_max_bytes=8 * 1024 * 1024,
            fetch_max_wait_ms=IDLE_WAIT_MS,
        )
        try:
            await producer.start()  # init_transactions: fences an earlier instance
            head = await chain_head(self._kafka, settings.audit_topic)
            consumer.subscribe(pattern=settings.route_pattern)
            await consumer.start()
            while not self._stopping.is_set():
                batch = await consumer.getmany(
                    timeout_ms=IDLE_WAIT_MS, max_records=settings.router_batch
                )
                if batch:
                    head = await self._route_batch(producer, batch, head)
        finally:
            await consumer.stop()
            await producer.stop()

    async def _route_batch(
        self,
        producer: AIOKafkaProducer,
        batch: dict[TopicPartition, list[ConsumerRecord]],
        head: ChainHead,
    ) -> ChainHead:
        exchange = await self._exchange()
        audit_topic = self._settings.audit_topic
        outs: list[Out] = []
        for records in batch.values():
            for record in records:
                with self._span(record):
                    trace = [(k, v.encode()) for k, v in trace_headers().items()]
                    routed, _, head = route(record, exchange, head, trace=trace)
                outs.extend(routed)
        await self._warm(producer, {o.topic for o in outs if o.topic != AUDIT})
        async with producer.transaction():
            sent = []
            for out in outs:
                chain = out.topic == AUDIT  # one partition: the chain is one sequence
                sent.append(
                    await producer.send(
                        audit_topic if chain else out.topic,
                        out.value,
                        key=out.key,
                        headers=out.headers,
                        partition=0 if chain else None,
                    )
                )
            await asyncio.gather(*sent)
            offsets = {tp: records[-1].offset + 1 for tp, records in batch.items()}
            await producer.send_offsets_to_transaction(offsets, self._settings.router_group)
        self.routed += sum(len(records) for records in batch.values())
        return head

    def _span(self, record: ConsumerRecord) -> AbstractContextManager[Span]:
        """The routing hop of the event's trace: a child of the sender's span."""
        headers = [(k, v) for k, v in record.headers or () if v is not None]
        attrs = dict(headers)
        return kafka_span(
            f"{record.topic} route",
            SpanKind.CONSUMER,
            envelope_id=attrs.get("ce_id", b"").decode(errors="replace"),
            event_type=attrs.get("ce_type", b"").decode(errors="replace"),
            context=context_from_headers(headers),
            **{
                "messaging.source.name": record.topic,
                "messaging.kafka.consumer.group": self._settings.router_group,
            },
        )

    async def _warm(self, producer: AIOKafkaProducer, topics: set[str]) -> None:
        """Learn the leaders of topics not written before, outside the transaction: a topic the
        broker creates on first use has none for a moment, and a transaction would stall on it
        for the whole request timeout."""
        for topic in topics - self._known:
            deadline = time.monotonic() + 30
            while True:
                partitions = await producer.partitions_for(topic)
                cluster = producer.client.cluster
                if all(
                    cluster.leader_for_partition(TopicPartition(topic, p)) not in (None, -1)
                    for p in partitions
                ):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no leader for {topic} after 30 s")
                producer.client.force_metadata_update()
                await asyncio.sleep(0.1)
            self._known.add(topic)
