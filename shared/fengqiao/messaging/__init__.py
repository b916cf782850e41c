"""Reliable messaging over aiokafka: producer, consumer, outbox relay, inbox dedupe, DLQ."""

from fengqiao.messaging.consumer import EventConsumer, Rejected, RetryPolicy
from fengqiao.messaging.inbox import apply_once, create_once
from fengqiao.messaging.outbox import OutboxMessage, OutboxRelay, notices_out, outgoing
from fengqiao.messaging.producer import EventProducer

__all__ = [
    "EventConsumer",
    "EventProducer",
    "OutboxMessage",
    "OutboxRelay",
    "Rejected",
    "RetryPolicy",
    "apply_once",
    "create_once",
    "notices_out",
    "outgoing",
]
