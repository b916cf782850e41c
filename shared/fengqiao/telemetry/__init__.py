"""OpenTelemetry setup, W3C trace context in Kafka headers, JSON logs carrying trace ids."""

from fengqiao.telemetry.logs import configure_logging
from fengqiao.telemetry.propagation import context_from_headers, trace_headers
from fengqiao.telemetry.setup import configure_telemetry, kafka_span, tracer

__all__ = [
    "configure_logging",
    "configure_telemetry",
    "context_from_headers",
    "kafka_span",
    "trace_headers",
    "tracer",
]
