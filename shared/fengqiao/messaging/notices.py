"""Which of a force's records a sender's notice (督办, 提级督办, 结案) is about: looked up by id
when the notice names its assignments, so it costs the same however many closed records the
force holds; found by a query only when the notice concerns every order of the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.orders import SenderNotice, named_assignments, order_id
from fengqiao.storage.mongo import Document
from fengqiao.storage.repository import Repository

A = TypeVar("A", bound=Aggregate)


async def records_noticed(
    repository: Repository[A],
    notice: SenderNotice,
    *,
    sender: str,
    where: Document,
    record_id: Callable[[str, str], str] = order_id,
) -> list[A]:
    """The records in ``repository`` the notice may concern (the caller still checks each is
    the sender's). ``record_id(sender, assignment)`` is the id an order became here; ``where``
    finds every record of the case."""
    named = named_assignments(notice)
    if named is None:
        return [repository.from_doc(doc) async for doc in repository.collection.find(where)]
    found = [await repository.find(record_id(sender, assignment)) for assignment in named]
    return [record for record in found if record is not None]
