"""The one Kafka consumer loop.

Offsets are committed only after the handler returned, i.e. after its effect is durable; a crash
before the commit redelivers, and the handler's inbox makes the redelivery a no-op. A record that
breaks the contract goes straight to the DLQ; one whose handler keeps failing goes there after
bounded retries; either way the records behind it are still consumed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from opentelemetry import trace
from pymongo.errors import ConnectionFailure, ExecutionTimeout, OperationFailure

from fengqiao.backoff import Backoff
from fengqiao.contracts.envelope import ContractError, Envelope, RejectReason, from_record
from fengqiao.messaging.dlq import DeadLetters
from fengqiao.messaging.producer import EventProducer
from fengqiao.settings import KafkaSettings
from fengqiao.storage.errors import ConcurrencyError
from fengqiao.telemetry import context_from_headers, kafka_span

log = logging.getLogger(__name__)

Handler = Callable[[Envelope], Awaitable[None]]
# How long a fetch waits at the broker, and a poll here, when nothing comes: a record still
# arrives at once; an idle consumer wakes its process once a second instead of five times.
IDLE_WAIT_MS = 1000


def is_transient(error: BaseException) -> bool:
    """A failure of the store or the broker, not of the record: retried without limit."""
    if isinstance(error, KafkaError):
        return bool(error.retriable)
    if isinstance(error, OperationFailure):  # FerretDB's SQLite answers contention this way
        return "database is locked" in str(error) or isinstance(error, ExecutionTimeout)
    return isinstance(error, ConnectionFailure | ConcurrencyError)


class Rejected(Exception):
    """Raised by a handler for an event it will never accept; it goes to the DLQ unretried."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay_s: float = 0.2
    max_delay_s: float = 5.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter, so a herd of retries spreads out."""
        return Backoff(self.base_delay_s, self.max_delay_s).delay(attempt)


class EventConsumer:
    def __init__(
        self,
        *,
        kafka: KafkaSettings,
        group_id: str,
        topics: Sequence[str],
        handler: Handler,
        producer: EventProducer,
        dead_letter_topic: str,
        retry: RetryPolicy | None = None,
        max_batch: int = 100,
    ) -> None:
        self._consumer = AIOKafkaConsumer(
            *topics,
            **kafka.client_args(),
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            fetch_max_wait_ms=IDLE_WAIT_MS,
        )
        self._group_id = group_id
        self._handler = handler
        self._dead_letters = DeadLetters(producer, group_id, topic=dead_letter_topic)
        self._retry = retry or RetryPolicy()
        self._max_batch = max_batch
        self._stopping = asyncio.Event()
        self._started = False

    async def start(self) -> None:
        try:
            await self._consumer.start()
        except BaseException:
            # Refused (an ACL) or unreachable half-way: release what start() opened, since the
            # pump tries again later with a new consumer.
            await self._consumer.stop()
            raise
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
            batch = await self._consumer.getmany(
                timeout_ms=IDLE_WAIT_MS, max_records=self._max_batch
            )
            # Partitions side by side, each in its own order: a case's events share a key, so a
            # partition, and are still applied one after another; then one commit for them all.
            done = await asyncio.gather(
                *(self._consume_partition(tp, rs) for tp, rs in batch.items())
            )
            await self._commit({tp: offset for tp, offset in done if offset is not None})

    async def _consume_partition(
        self, tp: TopicPartition, records: list[ConsumerRecord]
    ) -> tuple[TopicPartition, int | None]:
        """Apply the records in order; the partition and the offset to commit (None: none)."""
        done = None
        for record in records:
            if self._stopping.is_set() or tp not in self._consumer.assignment():
                break  # stopping, or the partition went to another member in a rebalance
            try:
                await self._consume(record)
            except Exception as error:
                # The store or the broker is away (or the DLQ could not be written): this is no
                # poison, so keep the record, rewind to it and come back after a pause.
                log.warning("record %s@%s not settled (%r); retrying", tp, record.offset, error)
                await self._commit({} if done is None else {tp: done + 1})
                with contextlib.suppress(IllegalStateError):
                    self._consumer.seek(tp, record.offset)
                await asyncio.sleep(self._retry.max_delay_s)
                return tp, None
            done = record.offset + 1
        return tp, done

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as error:
            # Lost a partition meanwhile; its new owner re-reads from the last commit and the
            # inbox drops what was already applied.
            log.warning("commit of %s refused after a rebalance: %r", offsets, error)

    async def _consume(self, record: ConsumerRecord) -> None:
        headers = list(record.headers or ())
        try:
            envelope = from_record(record.value, headers)
            trace_context = context_from_headers(headers)
        except ContractError as error:
            await self._dead_letters.send(record, error.reason, error.detail, attempts=0)
            return
        except Exception as error:  # anything else a hostile record can provoke
            await self._dead_letters.send(
                record, RejectReason.MALFORMED_JSON, f"undecodable record: {error!r}", attempts=0
            )
            return
        with kafka_span(
            f"{record.topic} process",
            trace.SpanKind.CONSUMER,
            envelope_id=envelope.id,
            event_type=envelope.type,
            context=trace_context,
            **{
                "messaging.source.name": record.topic,
                "messaging.kafka.consumer.group": self._group_id,
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
                if is_transient(error):
                    raise  # not the record's fault: _consume_partition rewinds and waits
                if attempt == self._retry.attempts:
                    await self._dead_letters.send(
                        record, RejectReason.HANDLER_FAILED, repr(error), attempts=attempt
                    )
                    return
                log.warning("handler failed on %s (attempt %d): %r", envelope.id, attempt, error)
                await asyncio.sleep(self._retry.delay(attempt))
