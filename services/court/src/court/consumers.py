"""Kafka subscriptions of the court service: translate events to commands, nothing more."""

from __future__ import annotations

from fengqiao.contracts import topics

INBOUND_TOPIC = topics.inbound("court")
