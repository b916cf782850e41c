"""W3C trace context carried in Kafka record headers, so one trace follows a case across hops."""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry import propagate
from opentelemetry.context import Context

TRACE_HEADERS = ("traceparent", "tracestate")


def trace_headers(context: Context | None = None) -> dict[str, str]:
    """The current (or given) trace context as header values; empty when there is no span."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=context)
    return {k: v for k, v in carrier.items() if k in TRACE_HEADERS}


def context_from_headers(headers: Iterable[tuple[str, bytes]] | dict[str, str]) -> Context:
    """The trace context a producer left in the headers (or an empty context)."""
    if isinstance(headers, dict):
        carrier = dict(headers)
    else:
        carrier = {
            k: v.decode("latin-1") for k, v in headers if k in TRACE_HEADERS and v is not None
        }
    return propagate.extract(carrier)
