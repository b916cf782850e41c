"""Kafka subscriptions of the gateway service: translate events to commands, nothing more."""

from __future__ import annotations

from fengqiao.contracts import topics

INBOUND_TOPIC = topics.inbound("gateway")
