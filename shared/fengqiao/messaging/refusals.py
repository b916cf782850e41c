"""An order a force cannot take is given back (退回) once: the refusal is kept as a record of
its own, so a redelivery of the order is recognised and the return is not sent again."""

from __future__ import annotations

from collections.abc import Sequence

from fengqiao.aggregate import Aggregate
from fengqiao.messaging.inbox import apply_once
from fengqiao.messaging.outbox import OutboxMessage
from fengqiao.storage.repository import Repository


class RefusedOrder(Aggregate):
    """An order given back without being registered (outside the territory, not this force's
    action or field…); ``id`` is the id the order's record would have had at this force (the
    assignment id at the grid, ``order_id`` elsewhere), so a redelivery finds it."""

    case_id: str
    sender: str
    reason_code: str
    reason: str
    action: str | None = None


async def give_back(
    refusals: Repository[RefusedOrder],
    refused: RefusedOrder,
    answer: Sequence[OutboxMessage],
    *,
    cause: str,
) -> bool:
    """Keep ``refused`` and send ``answer`` (the ``case.returned``) in one commit, once per
    order however often ``cause`` (the order's event id) is delivered. True when done now."""

    def change(current: RefusedOrder | None) -> tuple[RefusedOrder, list[OutboxMessage]]:
        if current is not None:
            return current, []
        return refused, list(answer)

    return await apply_once(refusals, refused.id, cause, change)
