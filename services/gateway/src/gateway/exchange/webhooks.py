"""Webhook delivery: POST each event of a webhook-mode agency's in-topic to its URL.

Such an agency runs no Kafka client, so the gateway consumes ``xchg.in.<agency>`` for it and
posts every event as a structured CloudEvent, signed with the agency's webhook secret. A
partition's offset is committed only after the endpoint took the event (2xx) or, retries spent,
the event was dead-lettered: a crash re-sends rather than loses, and the receiver drops the
repeat by its ``Idempotency-Key``. A circuit breaker keeps a down endpoint from being hammered.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError

from fengqiao.circuit import CircuitBreaker, CircuitState
from fengqiao.contracts import topics
from fengqiao.contracts.envelope import ContractError, Envelope, RejectReason, from_record
from fengqiao.messaging import EventProducer, RetryPolicy
from fengqiao.messaging.dlq import DeadLetters
from fengqiao.messaging.lifecycle import keep_running
from fengqiao.settings import KafkaSettings
from gateway.adapters.credentials import webhook_secret, webhook_signature

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


@dataclass(frozen=True)
class WebhookPolicy:
    retry: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(attempts=6, base_delay_s=1.0, max_delay_s=30.0)
    )
    failure_threshold: int = 5
    cooldown_s: float = 30.0
    timeout_s: float = 10.0
    batch: int = 20
    restart_s: float = 2.0  # pause before reconnecting after Kafka went away
    # Retries and cooldowns can keep a batch busy for minutes; the group must not evict us then.
    max_poll_interval_ms: int = 3_600_000


def group_of(agency_id: str) -> str:
    return f"fengqiao-gateway-webhook-{agency_id}"


def body_of(envelope: Envelope) -> bytes:
    """The structured-mode CloudEvent, exactly the bytes that are signed and sent."""
    event = envelope.model_dump(mode="json", exclude_none=True)
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def headers_of(agency_id: str, envelope: Envelope, body: bytes, now: float) -> dict[str, str]:
    timestamp = str(int(now))  # fresh on every try, so a receiver's replay window accepts it
    return {
        "content-type": CONTENT_TYPE,
        "ce-id": envelope.id,
        "idempotency-key": envelope.id,
        "x-fengqiao-timestamp": timestamp,
        "x-fengqiao-signature": webhook_signature(webhook_secret(agency_id), timestamp, body),
        "user-agent": "fengqiao-gateway",
    }


class _Stopped(Exception):
    """stop() came while a record was in hand: leave it uncommitted, it is redelivered later."""


class WebhookDeliverer:
    def __init__(
        self,
        agency_id: str,
        url: str,
        *,
        kafka: KafkaSettings,
        producer: EventProducer | None = None,
        policy: WebhookPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.agency_id = agency_id
        self.url = url
        self._kafka = kafka
        self._shared_producer = producer
        self._policy = policy or WebhookPolicy()
        self._clock = clock
        self._breaker = CircuitBreaker(
            failure_threshold=self._policy.failure_threshold, cooldown_s=self._policy.cooldown_s
        )
        self._stopping = asyncio.Event()

    def circuit(self) -> CircuitState:
        """The endpoint's breaker now: open while the gateway holds off calling it."""
        return self._breaker.state(self._clock())

    def stop(self) -> None:
        """End run(): the post in flight finishes, a record still being retried is left."""
        self._stopping.set()

    async def run(self) -> None:
        """Deliver until stop(); when Kafka goes away, reconnect and go on from the last commit."""
        await keep_running(
            f"webhooks of {self.agency_id}",
            self._run_once,
            self._stopping,
            pause_s=self._policy.restart_s,
        )

    async def _run_once(self) -> None:
        async with contextlib.AsyncExitStack() as stack:
            producer = self._shared_producer
            if producer is None:
                client_id = f"fengqiao-gateway-webhook-{self.agency_id}"
                producer = EventProducer(self._kafka, client_id=client_id)
                await stack.enter_async_context(producer)
            dead_letters = DeadLetters(producer, group_of(self.agency_id), topic=topics.DLQ)
            consumer = AIOKafkaConsumer(
                topics.inbound(self.agency_id),
                **self._kafka.client_args(),
                group_id=group_of(self.agency_id),
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                isolation_level="read_committed",
                max_poll_interval_ms=self._policy.max_poll_interval_ms,
            )
            stack.push_async_callback(consumer.stop)
            await consumer.start()
            http = await stack.enter_async_context(
                httpx.AsyncClient(timeout=self._policy.timeout_s, follow_redirects=False)
            )
            while not self._stopping.is_set():
                batch = await consumer.getmany(timeout_ms=200, max_records=self._policy.batch)
                # Partitions side by side, each in its order: a case's events share a partition.
                # A TaskGroup, so when one fails (the DLQ is away) none goes on posting alone.
                async with asyncio.TaskGroup() as group:
                    for tp, records in batch.items():
                        group.create_task(
                            self._deliver_partition(consumer, http, dead_letters, tp, records)
                        )

    async def _deliver_partition(
        self,
        consumer: AIOKafkaConsumer,
        http: httpx.AsyncClient,
        dead_letters: DeadLetters,
        tp: TopicPartition,
        records: list[ConsumerRecord],
    ) -> None:
        for record in records:
            if self._stopping.is_set() or tp not in consumer.assignment():
                return  # stopping, or the partition went to another gateway in a rebalance
            try:
                await self._deliver(http, dead_letters, record)
            except _Stopped:
                return
            try:
                await consumer.commit({tp: record.offset + 1})
            except (CommitFailedError, IllegalStateError) as error:
                # Lost the partition meanwhile; its new owner re-sends from the last commit.
                log.warning("commit of %s@%s refused: %r", tp, record.offset, error)
                return

    async def _deliver(
        self, http: httpx.AsyncClient, dead_letters: DeadLetters, record: ConsumerRecord
    ) -> None:
        try:
            envelope = from_record(record.value, list(record.headers or ()))
        except ContractError as error:
            await dead_letters.send(record, error.reason, error.detail, attempts=0)
            return
        except Exception as error:  # anything else a hostile record can provoke
            detail = f"undecodable record: {error!r}"
            await dead_letters.send(record, RejectReason.MALFORMED_JSON, detail, attempts=0)
            return
        body = body_of(envelope)
        attempts = self._policy.retry.attempts
        for attempt in range(1, attempts + 1):
            await self._wait_for_circuit()
            failure = await self._post(http, envelope, body)
            if failure is None:
                self._breaker.succeeded()
                return
            self._breaker.failed(self._clock())
            log.warning("webhook of %s failed (try %d): %s", envelope.id, attempt, failure)
            if attempt == attempts:
                detail = f"webhook: {failure} from {self.url}"
                await dead_letters.send(
                    record, RejectReason.WEBHOOK_FAILED, detail, attempts=attempt
                )
                return
            await self._backoff(self._policy.retry.delay(attempt))

    async def _post(self, http: httpx.AsyncClient, envelope: Envelope, body: bytes) -> str | None:
        """None if the endpoint took the event; else what went wrong."""
        headers = headers_of(self.agency_id, envelope, body, time.time())
        try:
            response = await http.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException as error:
            return f"timeout ({type(error).__name__})"
        except httpx.HTTPError as error:
            return f"{type(error).__name__}: {error}"[:500]
        if response.is_success:
            return None
        return f"HTTP {response.status_code}"

    async def _wait_for_circuit(self) -> None:
        # Re-check often: another partition's trial may close the breaker before the cooldown.
        while not self._breaker.allow(self._clock()):
            await self._backoff(min(self._breaker.wait_s(self._clock()), 1.0))

    async def _backoff(self, seconds: float) -> None:
        await self._wait(seconds)
        if self._stopping.is_set():
            raise _Stopped

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), max(seconds, 0.0))
