"""The outbox: events a state change must send, committed in the same document as the state.

A relay publishes pending events and then marks them sent. A crash between the two publishes an
event twice, never zero times; consumers drop the duplicate by event id (see inbox.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pymongo.asynchronous.collection import AsyncCollection

from fengqiao.contracts.envelope import Envelope
from fengqiao.messaging.producer import EventProducer
from fengqiao.telemetry import context_from_headers, trace_headers

log = logging.getLogger(__name__)


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


class OutboxSource(Protocol):
    """Where pending events are kept: a repository's commits (see storage.repository)."""

    commits: AsyncCollection[dict[str, Any]]

    async def materialised_version(self, aggregate_id: str) -> int: ...

    async def roll_forward(self, aggregate_id: str) -> None: ...


class OutboxRelay:
    """Publishes the events of committed changes, in commit order, then marks them sent."""

    def __init__(
        self,
        producer: EventProducer,
        sources: Sequence[OutboxSource],
        *,
        batch_size: int = 500,
        idle_interval_s: float = 0.1,
    ) -> None:
        self._producer = producer
        self._sources = list(sources)
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
        """One pass over every source; returns how many events were published."""
        total = 0
        for source in self._sources:
            held: set[str] = set()
            cursor = source.commits.find({"pending": True}).sort("at", 1).limit(self._batch_size)
            async for commit in cursor:
                aggregate = commit["aggregate"]
                if aggregate in held or not await self._visible(source, commit):
                    held.add(aggregate)  # keep this aggregate's events in order
                    continue
                messages = [OutboxMessage.from_doc(m) for m in commit["events"]]
                await self.publish(messages)
                await self.mark_sent(source, commit)
                total += len(messages)
        return total

    async def _visible(self, source: OutboxSource, commit: dict[str, Any]) -> bool:
        """Events go out only once the state they describe can be read."""
        aggregate, version = str(commit["aggregate"]), int(commit["version"])
        if await source.materialised_version(aggregate) >= version:
            return True
        await source.roll_forward(aggregate)
        return await source.materialised_version(aggregate) >= version

    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        # In order, one at a time: events of one aggregate share a key and must keep their order.
        for message in messages:
            await self._producer.publish(
                message.topic, message.envelope, context=context_from_headers(message.trace)
            )

    async def mark_sent(self, source: OutboxSource, commit: dict[str, Any]) -> None:
        # Only the relay updates a commit after its insert, so this write races no one.
        await source.commits.update_one({"_id": commit["_id"]}, {"$set": {"pending": False}})

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
