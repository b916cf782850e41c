"""The one load–step–save loop every aggregate's handlers share: a step is judged on the latest
state and saved with the notices it owes, in one commit; on a concurrent change it is judged
again on the fresh state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from fengqiao import storage
from fengqiao.aggregate import Aggregate
from fengqiao.contracts.orders import Notice
from fengqiao.storage import Repository
from justice.bootstrap import Office

A = TypeVar("A", bound=Aggregate)


async def change(
    office: Office,
    repository: Repository[A],
    record_id: str,
    step: Callable[[A], Sequence[Notice] | None],
    *,
    attempts: int = 10,
) -> A:
    """Apply ``step`` to the latest state and save it with its notices; on a concurrent change,
    reload and judge again. A refused step raises before anything is saved."""
    return await storage.change(
        repository, record_id, step, agency=office.agency, attempts=attempts
    )
