"""The outbox: events a state change must send, committed in the same document as the state.

A relay publishes pending events and then marks them sent. A crash between the two publishes an
event twice, never zero times; consumers drop the duplicate by event id (see inbox.py). Every
commit is announced, with events or without (see storage.repository), so the relay is also what
rolls forward a commit whose writer died before writing the document; one without events is
then dropped with nothing published.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymongo.asynchronous.collection import AsyncCollection

from fengqiao.contracts import topics
from fengqiao.contracts.envelope import Envelope, new_envelope
from fengqiao.contracts.orders import Notice
from fengqiao.messaging.producer import EventProducer
from fengqiao.security.signing import sign
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

    async def seal(self, commit_id: str) -> bool: ...

    def watch(
        self, watcher: Callable[[str, dict[str, Any] | None], None]
    ) -> Callable[[], None]: ...


class OutboxRelay:
    """Publishes the events of committed changes, in version order, then marks them sent; an
    announced commit is first rolled forward into its document if its writer did not get there."""

    def __init__(
        self,
        producer: EventProducer,
        sources: Sequence[OutboxSource],
        *,
        batch_size: int = 500,
        idle_interval_s: float = 2.0,
        orphan_after: timedelta = timedelta(seconds=30),
        signing_key: Ed25519PrivateKey | None = None,
    ) -> None:
        self._producer = producer
        # Signed on the way out, not when committed: a key rotation then needs no rewrite of
        # pending events, and Ed25519 is deterministic, so a re-publish carries the same bytes.
        self._signing_key = signing_key
        self._sources = list(sources)
        self._batch_size = batch_size
        self._idle_interval_s = idle_interval_s
        self._orphan_after = orphan_after
        self._stopping = asyncio.Event()
        self._first_seen: dict[str, float] = {}
        # Commits this process made and wrote, by source and announcement id: sent without
        # reading them back. A pass a hand-over wakes looks only at the sources handed to.
        self._handed: list[dict[str, dict[str, Any]]] = [{} for _ in self._sources]
        self._handed_to: set[int] = set()
        self._woken = asyncio.Event()
        self._behind = False  # a pass left work for the next: a full batch, a later version

    async def run(self) -> None:
        """Relay until stop(): a pass whenever a commit of this process is handed over, and one
        every ``idle_interval_s`` for what others left (a writer that died, another replica).
        A failure (broker away) is logged and retried, never fatal."""
        unwatch = [
            source.watch(functools.partial(self._handed_over, i))
            for i, source in enumerate(self._sources)
        ]
        try:
            only: set[int] | None = None  # the first pass looks everywhere
            while not self._stopping.is_set():
                self._woken.clear()
                self._behind = False
                try:
                    await self.relay_once(only)
                except Exception:
                    log.exception("outbox relay pass failed; retrying")
                    await self._sleep(1.0)
                if not self._behind:
                    await self._sleep(self._idle_interval_s)
                # Woken by hand-overs: those sources; by the clock (or behind): all of them.
                only = set(self._handed_to) if self._woken.is_set() and not self._behind else None
        finally:
            for stop_watching in unwatch:
                stop_watching()

    def _handed_over(self, source: int, note_id: str, commit: dict[str, Any] | None) -> None:
        if commit is not None:
            self._handed[source][note_id] = commit
        self._handed_to.add(source)
        self._woken.set()

    def stop(self) -> None:
        self._stopping.set()

    async def relay_once(self, only: set[int] | None = None) -> int:
        """One pass over every source (or those numbered ``only``); returns how many events
        were published."""
        total = 0
        for i, source in enumerate(self._sources):
            if only is not None and i not in only:
                continue
            self._handed_to.discard(i)
            handed = self._handed[i]
            handed_before = set(handed)
            cursor = source.outbox.find({}).sort([("aggregate", 1), ("version", 1)])
            notes = [note async for note in cursor.limit(self._batch_size)]
            if len(notes) < self._batch_size:  # all seen: a handed commit not there is gone
                seen = {note["_id"] for note in notes}
                for note_id in handed_before - seen:
                    handed.pop(note_id, None)
            else:
                self._behind = True
            ready, done = await self._settle(source, notes, handed)
            outcomes = await asyncio.gather(
                *(self._publish_commit(commit) for commit in ready.values()),
                return_exceptions=True,
            )
            for (note_id, commit), outcome in zip(ready.items(), outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    # This commit stays announced and is retried; the others are not held up.
                    log.error("could not publish the events of %s: %r", commit["_id"], outcome)
                else:
                    done.append(note_id)
                    total += len(commit["events"])
            await self.mark_sent(source, done)
            for note_id in done:
                handed.pop(note_id, None)
        return total

    async def _settle(
        self, source: OutboxSource, notes: list[dict[str, Any]], handed: dict[str, Any]
    ) -> tuple[dict[str, Any], list[Any]]:
        """Which commits to publish now (by announcement id), and which announcements to drop.

        Only the oldest announced commit of each aggregate is taken per pass, and only once its
        state can be read: events never run ahead of state, nor overtake each other.
        """
        oldest: dict[str, dict[str, Any]] = {}
        for note in notes:  # sorted by aggregate, then version
            oldest.setdefault(str(note["aggregate"]), note)
        if len(oldest) < len(notes):
            self._behind = True  # later versions go in the next pass, right after this one
        limit = asyncio.Semaphore(16)  # the checks are independent lookups: overlap them

        async def judge(note: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
            async with limit:
                if (commit := handed.get(note["_id"])) is not None:
                    return "send", commit  # made and written here: nothing to read back
                return await self._judge(source, note)

        verdicts = await asyncio.gather(*(judge(note) for note in oldest.values()))
        ready: dict[str, Any] = {}
        done: list[Any] = []
        for note, (verdict, commit) in zip(oldest.values(), verdicts, strict=True):
            if verdict == "send":
                ready[note["_id"]] = commit
            elif verdict == "drop":
                done.append(note["_id"])
        for note_id in done:
            self._first_seen.pop(note_id, None)
            handed.pop(note_id, None)
        return ready, done

    async def _judge(
        self, source: OutboxSource, note: dict[str, Any]
    ) -> tuple[str, dict[str, Any] | None]:
        """("send", commit), ("drop", None) or ("wait", None) for one announcement."""
        commit = await source.commit(note["commit"])
        if commit is not None and commit["nonce"] != note["nonce"]:
            return "drop", None  # another writer holds that version: nothing to send
        if commit is None:
            if self._stale(note["_id"]) and await source.seal(note["commit"]):
                return "drop", None  # its writer died before committing
            # A creation cannot be sealed: one with events is given long for its writer to come
            # back (their commit would go unsent); one without has nothing to send. An older
            # announcement has no count: only commits with events were announced then.
            if self._stale(note["_id"], times=120 if note.get("events", 1) else 1):
                return "drop", None  # a creation whose writer never came back
            return "wait", None
        if await self._visible(source, str(note["aggregate"]), int(commit["version"])):
            return "send", commit
        return "wait", None

    def _stale(self, note_id: str, times: int = 1) -> bool:
        """Seen unchanged for orphan_after (× times) by this relay, on its own clock."""
        first = self._first_seen.setdefault(note_id, time.monotonic())
        return time.monotonic() - first >= self._orphan_after.total_seconds() * times

    async def _visible(self, source: OutboxSource, aggregate: str, version: int) -> bool:
        if await source.materialised_version(aggregate) >= version:
            return True
        await source.roll_forward(aggregate)
        return await source.materialised_version(aggregate) >= version

    async def _publish_commit(self, commit: dict[str, Any]) -> None:
        # Decoding inside the task: an unreadable commit fails alone, not the whole pass. A
        # commit without events (announced so it is rolled forward) publishes nothing.
        await self.publish([OutboxMessage.from_doc(m) for m in commit["events"]])

    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        await self._producer.publish_many(
            [(m.topic, self._signed(m.envelope), context_from_headers(m.trace)) for m in messages]
        )

    def _signed(self, envelope: Envelope) -> Envelope:
        return envelope if self._signing_key is None else sign(envelope, self._signing_key)

    async def mark_sent(self, source: OutboxSource, note_ids: Sequence[Any]) -> None:
        if note_ids:
            await source.outbox.delete_many({"_id": {"$in": list(note_ids)}})

    async def _sleep(self, seconds: float) -> None:
        """Until ``seconds`` pass, a commit is handed over, or stop()."""
        if self._stopping.is_set() or self._woken.is_set():
            return
        waits = [asyncio.ensure_future(e.wait()) for e in (self._stopping, self._woken)]
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()


def notices_out(
    agency: str, notices: Sequence[Notice], *, about: str, cause: str | None
) -> list[OutboxMessage]:
    """The outbox entries for what a domain step owes others, sent from ``agency``.

    The subject is what each recipient files the event under — its ``case_id``: the hub's case
    for answers to an order, the sender's own record for a new order — else ``about``, the
    record the step changed, which is also the correlation id.
    """
    return [
        outgoing(
            topics.outbound(agency),
            new_envelope(
                n.data,
                source=f"/agencies/{agency}",
                subject=getattr(n.data, "case_id", about),
                recipient=n.recipient,
                correlationid=about,
                causationid=cause,
            ),
        )
        for n in notices
    ]
