"""Apply a consumed event at most once: its id is saved on the aggregate in the same write."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from fengqiao.messaging.outbox import OutboxMessage
from fengqiao.storage.errors import ConcurrencyError

if TYPE_CHECKING:
    from fengqiao.aggregate import Aggregate
    from fengqiao.storage.repository import Repository

A = TypeVar("A", bound="Aggregate")
Change = Callable[[A | None], tuple[A, Sequence[OutboxMessage]]]


async def apply_once(
    repository: Repository[A],
    aggregate_id: str,
    event_id: str,
    change: Change[A],
    *,
    attempts: int = 20,
) -> bool:
    """Apply ``change`` (current state or None → new state and events to send) unless the
    event was applied before. True when applied now, False for a redelivery.

    A redelivery finds its id in the aggregate's inbox. Two deliveries racing each other both
    try to commit the same next version; one wins, the other reloads and finds the id.
    """
    for attempt in range(attempts):
        current = await repository.find(aggregate_id)
        if current is not None and event_id in current.inbox:
            return False
        new, events = change(current)
        applied = [*(current.inbox if current is not None else []), event_id]
        new = new.model_copy(update={"inbox": applied})
        try:
            if current is None:
                await repository.add(new, events)
            else:
                await repository.save(new.model_copy(update={"version": current.version}), events)
            return True
        except ConcurrencyError:
            await asyncio.sleep(min(0.5, 0.005 * 2**attempt))
    raise ConcurrencyError(f"{aggregate_id}: gave up after {attempts} conflicting attempts")


async def create_once(
    repository: Repository[A], aggregate_id: str, event_id: str, make: Callable[[], A]
) -> bool:
    """Create the aggregate an order asks for, once: the same order sent again — a redelivery,
    or the sender's retry under a new event id — finds it there and changes nothing (the
    order's id, not the event's, names the aggregate)."""

    def change(current: A | None) -> tuple[A, Sequence[OutboxMessage]]:
        return (current, []) if current is not None else (make(), [])

    return await apply_once(repository, aggregate_id, event_id, change)
