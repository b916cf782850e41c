"""The one Kafka consumer loop.

Offsets are committed only after the handler returned, i.e. after its effect is durable; a crash
before the commit redelivers, and the handler's inbox makes the redelivery a no-op. A record that
breaks the contract goes straight to the DLQ; one whose handler keeps failing goes there after
bounded retries; either way the records behind it are still consumed.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from opentelemetry import trace

from fengqiao.contracts.envelope import ContractError, Envelope, RejectReason, from_record
from fengqiao.messaging.dlq import DeadLetters
from fengqiao.messaging.producer import EventProducer
from fengqiao.telemetry import context_from_headers, tracer

log = logging.getLogger(__name__)

Handler = Callable[[Envelope], Awaitable[None]]


class Rejected(Exception):
    """Raised by a handler for an event it will never accept; it goes to the DLQ unretried."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay_s: float = 0.2
    max_delay_s: float = 5.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter, so a herd of retries spreads out."""
        return random.uniform(0, min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1)))


class EventConsumer:
    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group_id: str,
        topics: Sequence[str],
        handler: Handler,
        producer: EventProducer,
        retry: RetryPolicy | None = None,
        max_batch: int = 200,
    ) -> None:
        self._consumer = AIOKafkaConsumer(
            *topics,
            bootstrap_servers=bootstrap_servers,
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
        )
        self._group_id = group_id
        self._handler = handler
        self._dead_letters = DeadLetters(producer, group_id)
        self._retry = retry or RetryPolicy()
        self._max_batch = max_batch
        self._stopping = asyncio.Event()
        self._started = False

    async def start(self) -> None:
        await self._consumer.start()
        self._started = True

    def stop(self) -> None:
        """Ask the loop to end after the record in hand; run() then commits and returns."""
        self._stopping.set()

    async def close(self) -> None:
        if self._started:
            self._started = False
            await self._consumer.stop()

    async def run(self) -> None:
        """Consume until stop(). The consumer must have been started."""
        while not self._stopping.is_set():
            batch = await self._consumer.getmany(timeout_ms=200, max_records=self._max_batch)
            for tp, records in batch.items():
                await self._consume_partition(tp, records)
                if self._stopping.is_set():
                    break

    async def _consume_partition(self, tp: TopicPartition, records: list[ConsumerRecord]) -> None:
        done = None
        for record in records:
            if self._stopping.is_set():
                break
            try:
                await self._consume(record)
            except Exception:
                # Could not even dead-letter it (broker away): rewind and try again later.
                log.exception("could not settle record %s@%s; will retry", tp, record.offset)
                self._consumer.seek(tp, record.offset)
                await asyncio.sleep(1.0)
                break
            done = record.offset
        if done is not None:
            await self._consumer.commit({tp: done + 1})

    async def _consume(self, record: ConsumerRecord) -> None:
        headers = list(record.headers or ())
        try:
            envelope = from_record(record.value, headers)
        except ContractError as error:
            await self._dead_letters.send(record, error.reason, error.detail, attempts=0)
            return
        with tracer().start_as_current_span(
            f"{record.topic} process",
            context=context_from_headers(headers),
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.source.name": record.topic,
                "messaging.message.id": envelope.id,
                "messaging.kafka.consumer.group": self._group_id,
                "cloudevents.event_type": envelope.type,
            },
        ):
            await self._handle_with_retries(record, envelope)

    async def _handle_with_retries(self, record: ConsumerRecord, envelope: Envelope) -> None:
        for attempt in range(1, self._retry.attempts + 1):
            try:
                await self._handler(envelope)
                return
            except Rejected as rejected:
                await self._dead_letters.send(
                    record, RejectReason.REJECTED_BY_HANDLER, str(rejected), attempts=attempt
                )
                return
            except Exception as error:
                if attempt == self._retry.attempts:
                    await self._dead_letters.send(
                        record, RejectReason.HANDLER_FAILED, repr(error), attempts=attempt
                    )
                    return
                log.warning("handler failed on %s (attempt %d): %r", envelope.id, attempt, error)
                await asyncio.sleep(self._retry.delay(attempt))
