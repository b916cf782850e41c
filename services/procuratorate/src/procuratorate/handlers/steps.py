"""What the commands on every aggregate share: the API passes its one domain step to ``change``;
what needs more than one aggregate or a fresh number has its own function in the aggregate's
module."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.orders import Notice
from fengqiao.storage import Repository, retry_on_conflict
from procuratorate.bootstrap import Procuratorate

A = TypeVar("A", bound=Aggregate)
Step = Callable[[A, datetime], Sequence[Notice] | None]
PENDING = "pending"  # the id of a new record while its rules are checked, before it is numbered


async def change(
    proc: Procuratorate,
    repository: Repository[A],
    aggregate_id: str,
    step: Step[A],
    *,
    attempts: int = 10,
) -> A:
    """Apply ``step`` to the latest state; on a concurrent change, reload and judge it again.
    A refused step raises before anything is saved."""

    async def attempt() -> A:
        aggregate = await repository.get(aggregate_id)
        notices = list(step(aggregate, proc.clock()) or ())
        return await repository.save(aggregate, proc.outgoing(aggregate.id, notices, None))

    what = f"{repository.collection.name} {aggregate_id}"
    return await retry_on_conflict(attempt, what=what, attempts=attempts)
