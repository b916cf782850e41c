"""What the commands on every aggregate share: the API passes its one domain step to ``change``;
what needs more than one aggregate or a fresh number has its own function in the aggregate's
module."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from fengqiao import storage
from fengqiao.aggregate import Aggregate
from fengqiao.contracts.orders import Notice
from fengqiao.storage import Repository
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
    return await storage.change(
        repository,
        aggregate_id,
        lambda aggregate: step(aggregate, proc.clock()),
        agency=proc.agency,
        attempts=attempts,
    )
