"""The one retry of a step that lost a race: load the latest state, judge the step against it
again, save; the versioned save refuses a write over a newer one (optimistic concurrency)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.orders import Notice
from fengqiao.messaging.outbox import notices_out
from fengqiao.storage.errors import ConcurrencyError
from fengqiao.storage.repository import Repository

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
ATTEMPTS = 10


async def retry_on_conflict(
    attempt: Callable[[], Awaitable[T]], *, what: str, attempts: int = ATTEMPTS
) -> T:
    """Run ``attempt`` — which must reload what it changes — until its save is not beaten by a
    concurrent one; after ``attempts`` tries, a ConcurrencyError naming ``what``."""
    for n in range(attempts):
        try:
            return await attempt()
        except ConcurrencyError:
            await asyncio.sleep(min(0.5, 0.01 * 2**n))
    raise ConcurrencyError(f"{what} kept changing; try again")


async def change(
    repository: Repository[A],
    aggregate_id: str,
    step: Callable[[A], Iterable[Notice] | None],
    *,
    agency: str,
    attempts: int = ATTEMPTS,
) -> A:
    """Apply ``step`` to the latest state and save it with the notices it returns, sent from
    ``agency``, in one commit; on a concurrent change, reload and judge the step again. A step
    that refuses raises before anything is saved."""

    async def attempt() -> A:
        aggregate = await repository.get(aggregate_id)
        notices = list(step(aggregate) or ())
        outgoing = notices_out(agency, notices, about=aggregate.id, cause=None)
        return await repository.save(aggregate, outgoing)

    what = f"{repository.collection.name} {aggregate_id}"
    return await retry_on_conflict(attempt, what=what, attempts=attempts)
