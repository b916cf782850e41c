"""The one Kafka producer: idempotent, acks from all in-sync replicas, key = case id."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType

from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from opentelemetry.context import Context

from fengqiao.contracts.envelope import Envelope, Header, to_record
from fengqiao.settings import KafkaSettings
from fengqiao.telemetry import kafka_span, trace_headers


class EventProducer:
    def __init__(self, kafka: KafkaSettings, *, client_id: str = "fengqiao") -> None:
        self._producer = AIOKafkaProducer(
            **kafka.client_args(),
            client_id=client_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def __aenter__(self) -> EventProducer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def publish(
        self, topic: str, envelope: Envelope, *, context: Context | None = None
    ) -> None:
        """Send one event and wait until the broker has it. ``context`` is the trace to continue."""
        await self.publish_many([(topic, envelope, context)])

    async def publish_many(self, batch: Sequence[tuple[str, Envelope, Context | None]]) -> None:
        """Send events in order, pipelined, and wait until the broker has all of them.

        With idempotence on, the broker keeps a partition's records in send order even with
        several requests in flight, so per-case order holds without a round trip per event.
        """
        acks = []
        for topic, envelope, context in batch:
            record = to_record(envelope)
            with kafka_span(
                f"{topic} publish",
                trace.SpanKind.PRODUCER,
                envelope_id=envelope.id,
                event_type=envelope.type,
                context=context,
                **{"messaging.destination.name": topic},
            ):
                headers = record.headers + _encoded(trace_headers())
                acks.append(
                    await self._producer.send(topic, record.value, key=record.key, headers=headers)
                )
        if acks:
            await asyncio.gather(*acks)

    async def publish_raw(
        self,
        topic: str,
        *,
        key: bytes | None,
        value: bytes | None,
        headers: Sequence[tuple[str, bytes | None]],
    ) -> None:
        """Send bytes as they are (the DLQ keeps a poison record exactly as it arrived)."""
        await self._producer.send_and_wait(topic, value, key=key, headers=list(headers))


def _encoded(values: dict[str, str]) -> list[Header]:
    return [(k, v.encode()) for k, v in values.items()]
