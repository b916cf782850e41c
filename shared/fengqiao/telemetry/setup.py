"""Tracing from the standard OTEL_* environment variables.

With ``OTEL_EXPORTER_OTLP_ENDPOINT`` set, spans go to that collector over OTLP/HTTP; without it,
spans are still created (so trace ids reach logs and Kafka headers) but are not exported.
FastAPI uses OpenTelemetry's instrumentation, and PyMongo too when spans are exported (a span
per store call that nobody receives costs a tenth of a service's CPU); Kafka spans (producer
and consumer, with the messaging semantic conventions) are made by ``fengqiao.messaging``
itself, which also carries the trace context in the record headers and through the outbox.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_configured = False


def configure_telemetry(service_name: str) -> None:
    """Install the tracer provider once per process; later calls are no-ops."""
    global _configured
    if _configured:
        return
    _configured = True
    name = os.environ.get("OTEL_SERVICE_NAME", f"fengqiao-{service_name}")
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    ):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        _instrument_pymongo()
    trace.set_tracer_provider(provider)


def _instrument_pymongo() -> None:
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor

    instrumentor = PymongoInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def tracer() -> trace.Tracer:
    return trace.get_tracer("fengqiao")


def kafka_span(
    name: str,
    kind: trace.SpanKind,
    *,
    envelope_id: str,
    event_type: str,
    context: Context | None = None,
    **attributes: str,
) -> AbstractContextManager[trace.Span]:
    """A producer or consumer span with the messaging semantic conventions."""
    return tracer().start_as_current_span(
        name,
        context=context,
        kind=kind,
        attributes={
            "messaging.system": "kafka",
            "messaging.message.id": envelope_id,
            "cloudevents.event_type": event_type,
            **attributes,
        },
    )
