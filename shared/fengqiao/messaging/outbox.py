"""The outbox: events a state change must send, stored in the same document as the state.

A relay publishes pending events and then removes them. A crash between the two publishes an
event twice, never zero times; consumers drop the duplicate by event id (see inbox.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from fengqiao.contracts.envelope import Envelope
from fengqiao.messaging.producer import EventProducer
from fengqiao.telemetry import context_from_headers, trace_headers

log = logging.getLogger(__name__)
OUTBOX = "outbox"


@dataclass(frozen=True)
class OutboxMessage:
    topic: str
    envelope: Envelope
    trace: dict[str, str] = field(default_factory=dict)

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.envelope.id,
            "topic": self.topic,
            "envelope": self.envelope.model_dump(mode="json"),
            "trace": self.trace,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> OutboxMessage:
        return cls(doc["topic"], Envelope.model_validate(doc["envelope"]), doc.get("trace", {}))


def outgoing(topic: str, envelope: Envelope) -> OutboxMessage:
    """An outbox entry that keeps the current trace, so the relay's publish joins it."""
    return OutboxMessage(topic, envelope, trace_headers())


class OutboxRelay:
    """Publishes the pending events of every document in ``collections``, then marks them sent."""

    def __init__(
        self,
        producer: EventProducer,
        collections: Sequence[AsyncCollection[dict[str, Any]]],
        *,
        batch_size: int = 200,
        idle_interval_s: float = 0.1,
    ) -> None:
        self._producer = producer
        self._collections = list(collections)
        self._batch_size = batch_size
        self._idle_interval_s = idle_interval_s
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Relay until stop(); a failure (broker away) is logged and retried, never fatal."""
        while not self._stopping.is_set():
            try:
                relayed = await self.relay_once()
            except Exception:
                log.exception("outbox relay pass failed; retrying")
                relayed = 0
                await self._sleep(1.0)
            if relayed == 0:
                await self._sleep(self._idle_interval_s)

    def stop(self) -> None:
        self._stopping.set()

    async def relay_once(self) -> int:
        """One pass over every collection; returns how many events were published."""
        total = 0
        for collection in self._collections:
            cursor = collection.find(
                {f"{OUTBOX}.id": {"$exists": True}}, {OUTBOX: 1}
            ).limit(self._batch_size)
            async for doc in cursor:
                messages = [OutboxMessage.from_doc(m) for m in doc[OUTBOX]]
                await self.publish(messages)
                await self.mark_sent(collection, doc["_id"], doc[OUTBOX])
                total += len(messages)
        return total

    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        # In order, one at a time: events of one aggregate share a key and must keep their order.
        for message in messages:
            await self._producer.publish(
                message.topic, message.envelope, context=context_from_headers(message.trace)
            )

    async def mark_sent(
        self,
        collection: AsyncCollection[dict[str, Any]],
        doc_id: Any,
        entries: list[dict[str, Any]],
    ) -> None:
        # $pullAll of the exact entries read: removes just those, keeps any pushed since, and
        # (unlike $pull with a condition) behaves the same on MongoDB and FerretDB.
        await collection.update_one({"_id": doc_id}, {"$pullAll": {OUTBOX: entries}})

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass
