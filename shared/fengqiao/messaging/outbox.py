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
from datetime import UTC, datetime, timedelta
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
    """Where pending events are announced and kept: a repository (see storage.repository)."""

    outbox: AsyncCollection[dict[str, Any]]

    async def commit(self, commit_id: str) -> dict[str, Any] | None: ...

    async def materialised_version(self, aggregate_id: str) -> int: ...

    async def roll_forward(self, aggregate_id: str) -> None: ...


class OutboxRelay:
    """Publishes the events of committed changes, in version order, then marks them sent."""

    def __init__(
        self,
        producer: EventProducer,
        sources: Sequence[OutboxSource],
        *,
        batch_size: int = 500,
        idle_interval_s: float = 0.1,
        orphan_after: timedelta = timedelta(seconds=30),
    ) -> None:
        self._producer = producer
        self._sources = list(sources)
        self._batch_size = batch_size
        self._idle_interval_s = idle_interval_s
        self._orphan_after = orphan_after
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
            notes = [n async for n in source.outbox.find({}).limit(self._batch_size)]
            notes.sort(key=lambda n: (n["aggregate"], n["version"]))
            ready, done = await self._settle(source, notes)
            messages = [OutboxMessage.from_doc(m) for commit in ready for m in commit["events"]]
            if messages:
                await self.publish(messages)
            await self.mark_sent(source, done)
            total += len(messages)
        return total

    async def _settle(
        self, source: OutboxSource, notes: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[Any]]:
        """Which announced commits to publish now, and which announcements are finished.

        Events never run ahead of the state they describe, and once an aggregate has a commit
        held back, its later ones wait too, so each aggregate's events keep their order.
        """
        ready: list[dict[str, Any]] = []
        done: list[Any] = []
        held: set[str] = set()
        now = datetime.now(UTC)
        for note in notes:
            aggregate = str(note["aggregate"])
            if aggregate in held:
                continue
            commit = await source.commit(note["commit"])
            if commit is None or commit["nonce"] != note["nonce"]:
                if now - note["at"] > self._orphan_after:
                    done.append(note["_id"])  # its writer died or lost the race: nothing to send
                else:
                    held.add(aggregate)
                continue
            if await source.materialised_version(aggregate) < commit["version"]:
                await source.roll_forward(aggregate)
                if await source.materialised_version(aggregate) < commit["version"]:
                    held.add(aggregate)
                    continue
            ready.append(commit)
            done.append(note["_id"])
        return ready, done

    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        await self._producer.publish_many(
            [(m.topic, m.envelope, context_from_headers(m.trace)) for m in messages]
        )

    async def mark_sent(self, source: OutboxSource, note_ids: Sequence[Any]) -> None:
        if note_ids:
            await source.outbox.delete_many({"_id": {"$in": list(note_ids)}})

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
