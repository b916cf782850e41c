"""One trace follows an event across a Kafka hop, directly and through the outbox."""

from __future__ import annotations

from opentelemetry import trace
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.contracts import Envelope
from fengqiao.messaging import EventProducer, OutboxRelay, outgoing
from fengqiao.settings import KafkaSettings
from fengqiao.storage import Repository
from fengqiao.storage.mongo import Document
from fengqiao.telemetry import configure_telemetry, tracer
from support import Report, consume_until, consumer_of, reported


async def test_trace_id_survives_the_outbox_and_a_kafka_hop(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    configure_telemetry("tests")
    direct, via_outbox = reported("case-direct"), reported("case-outbox")
    reports = Repository(mongo_db["reports"], Report)
    async with EventProducer(kafka) as producer:
        with tracer().start_as_current_span("POST /api/v1/cases") as request_span:
            sent_trace = request_span.get_span_context().trace_id
            await producer.publish(topic_name, direct)
            await reports.add(
                Report(id="case-outbox", title="t"), [outgoing(topic_name, via_outbox)]
            )
        # The relay runs later, outside the request's span, yet continues its trace.
        await OutboxRelay(producer, [reports]).relay_once()

        seen: dict[str, int] = {}

        async def handle(envelope: Envelope) -> None:
            seen[envelope.id] = trace.get_current_span().get_span_context().trace_id

        consumer = consumer_of(kafka, topic_name, handle, producer)
        await consume_until(consumer, lambda: len(seen) == 2)

    assert sent_trace != 0
    assert seen == {direct.id: sent_trace, via_outbox.id: sent_trace}
