"""How every command of the court changes a matter: load it, apply one step of the domain, and
save it with the notices the step owes (the hub, the justice office, a department) in one
commit. A step that takes a case number is judged on a copy first, so a refused step takes no
number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from court.bootstrap import Tribunal
from court.domain.case_numbers import CaseKind, year_in_china
from fengqiao import storage
from fengqiao.aggregate import Aggregate
from fengqiao.contracts.orders import Notice
from fengqiao.storage import Repository

A = TypeVar("A", bound=Aggregate)
Step = Callable[[A], Sequence[Notice] | None]
NumberedStep = Callable[[A, int], Sequence[Notice]]


async def change(
    tribunal: Tribunal,
    repository: Repository[A],
    matter_id: str,
    step: Step[A],
    *,
    attempts: int = 10,
) -> A:
    """Apply ``step`` to the latest state; on a concurrent change, reload and judge it again.
    A refused step raises before anything is saved."""
    return await storage.change(
        repository, matter_id, step, agency=tribunal.agency, attempts=attempts
    )


async def numbered(
    tribunal: Tribunal,
    repository: Repository[A],
    matter_id: str,
    kind: CaseKind,
    year: int,
    step: NumberedStep[A],
) -> A:
    """A step that gives a case number (案号): tried on a copy, then numbered and applied."""
    matter = await repository.get(matter_id)
    step(matter.model_copy(deep=True), 1)  # raises if the rules refuse it: no number taken
    holder = f"{repository.collection.name}/{matter_id}"
    seq = await tribunal.stores.counters.take(kind.value, year, holder=holder)
    return await change(tribunal, repository, matter_id, lambda m: step(m, seq))


def this_year(now: datetime) -> int:
    """The year a number given now carries: the calendar year in China."""
    return year_in_china(now)
