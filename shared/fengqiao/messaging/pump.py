"""A service's messaging in one place: its consumer of ``xchg.in.<agency>`` dispatching by event
type, its outbox relay, and the producer both use. Runs until stopped, and comes back by itself
when the broker goes away and returns, so a service can start before Kafka does."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.contracts import topics
from fengqiao.contracts.envelope import Envelope
from fengqiao.messaging.access import DENIALS, denial_line
from fengqiao.messaging.consumer import EventConsumer, Rejected
from fengqiao.messaging.lifecycle import keep_running
from fengqiao.messaging.outbox import OutboxRelay, OutboxSource
from fengqiao.messaging.producer import EventProducer
from fengqiao.settings import KafkaSettings

log = logging.getLogger(__name__)
DENIED_PAUSE_S = 30.0

EventHandler = Callable[[Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Wiring:
    """What a service consumes and what it relays: an event-type table and outbox sources."""

    handlers: Mapping[str, EventHandler] = field(default_factory=dict)
    outbox: Sequence[OutboxSource] = ()


async def _receipt(envelope: Envelope) -> None:
    log.debug("delivered: %s", envelope.data)


async def _rejection(envelope: Envelope) -> None:
    # The refused event is in the gateway's DLQ with the same reason; this side only says so.
    log.warning("the exchange refused an event we sent: %s", envelope.data)


# Every service gets the gateway's answer to everything it sends; one without its own handler
# takes them as read instead of dead-lettering them.
_EXCHANGE_ANSWERS: dict[str, EventHandler] = {
    "exchange.receipt.v1": _receipt,
    "exchange.rejected.v1": _rejection,
}


class MessagePump:
    def __init__(
        self,
        *,
        kafka: KafkaSettings,
        agency: str,
        wiring: Wiring,
        signing_key: Ed25519PrivateKey | None = None,
    ) -> None:
        self._kafka = kafka
        self._signing_key = signing_key
        self._agency = agency
        self._wiring = wiring
        self._stopping = asyncio.Event()
        self._consumer: EventConsumer | None = None
        self._relay: OutboxRelay | None = None

    async def run(self) -> None:
        await keep_running(f"messaging of {self._agency}", self._run_guarded, self._stopping)

    async def _run_guarded(self) -> None:
        """A denial is a configuration error, not an outage: say which principal and which
        resource, once every ``DENIED_PAUSE_S``, and keep trying (an operator may fix the ACLs
        without restarting us)."""
        try:
            await self._run_once()
        except* DENIALS as group:
            for error in group.exceptions:
                log.error(denial_line(error, self._kafka, f"the messaging of {self._agency}"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), DENIED_PAUSE_S)

    def stop(self) -> None:
        """Finish the record in hand and the relay pass under way, then end run()."""
        self._stopping.set()
        if self._consumer is not None:
            self._consumer.stop()
        if self._relay is not None:
            self._relay.stop()

    async def dispatch(self, envelope: Envelope) -> None:
        handler = self._wiring.handlers.get(envelope.type) or _EXCHANGE_ANSWERS.get(envelope.type)
        if handler is None:
            raise Rejected(f"{self._agency} handles no {envelope.type}")
        await handler(envelope)

    async def _run_once(self) -> None:
        if not self._wiring.handlers and not self._wiring.outbox:
            await self._stopping.wait()  # nothing to consume or relay (yet)
            return
        async with EventProducer(self._kafka, client_id=f"fengqiao-{self._agency}") as producer:
            loops: list[Coroutine[Any, Any, None]] = []
            if self._wiring.outbox:
                self._relay = OutboxRelay(
                    producer, self._wiring.outbox, signing_key=self._signing_key
                )
                loops.append(self._relay.run())
            if self._wiring.handlers:
                self._consumer = EventConsumer(
                    kafka=self._kafka,
                    group_id=topics.consumer_group(self._agency),
                    topics=[topics.inbound(self._agency)],
                    handler=self.dispatch,
                    producer=producer,
                    dead_letter_topic=topics.dead_letters(self._agency),
                )
                await self._consumer.start()
                loops.append(self._consumer.run())
            if self._stopping.is_set():  # stop() came while the producer was starting
                self.stop()
            try:
                # A TaskGroup: when one loop fails, the other is cancelled, never orphaned.
                async with asyncio.TaskGroup() as group:
                    for loop in loops:
                        group.create_task(loop)
            finally:
                if self._consumer is not None:
                    await self._consumer.close()
