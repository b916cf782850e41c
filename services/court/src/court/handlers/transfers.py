"""Orders the court receives (``case.transferred.v1``), each taken once: with action
``pre_litigation_mediation`` (from the hub) a pre-litigation mediation, with ``confirm`` (from
the justice office) a judicial confirmation; any other action goes back to its sender as
``case.returned.v1`` (``court.unsupported_action``), since the sender must route it elsewhere.
The matter's id comes from the sender and its assignment id, so an order sent twice is one
matter."""

from __future__ import annotations

from typing import TypeVar

from court.bootstrap import Tribunal
from court.domain import confirmation, prelitigation
from court.domain.errors import DomainError
from court.domain.returns import ReturnReason
from fengqiao.aggregate import Aggregate
from fengqiao.contracts import Envelope
from fengqiao.contracts.codes import Action
from fengqiao.contracts.events import CaseTransferred
from fengqiao.contracts.orders import Order, order_id
from fengqiao.messaging import create_once, refusals
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from fengqiao.messaging.refusals import RefusedOrder

A = TypeVar("A", bound=Aggregate)


def on_transferred(tribunal: Tribunal) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        order = envelope.payload()
        assert isinstance(order, CaseTransferred)
        agency = envelope.sender
        matter_id = order_id(agency, order.assignment_id)
        court, now = tribunal.settings.court, tribunal.clock()
        try:
            if order.action is Action.PRE_LITIGATION_MEDIATION:
                await create_once(
                    tribunal.stores.mediations,
                    matter_id,
                    envelope.id,
                    lambda: prelitigation.receive(
                        order, now=now, sender=agency, court=court, mediation_id=matter_id
                    ),
                )
            elif order.action is Action.CONFIRM:
                await create_once(
                    tribunal.stores.confirmations,
                    matter_id,
                    envelope.id,
                    lambda: confirmation.receive(
                        order, now=now, sender=agency, court=court, confirmation_id=matter_id
                    ),
                )
            else:
                await give_back(tribunal, envelope, order, agency, matter_id)
        except DomainError as error:
            raise Rejected(str(error)) from None

    return handle


async def give_back(
    tribunal: Tribunal, envelope: Envelope, order: CaseTransferred, agency: str, matter_id: str
) -> None:
    """退回: an order for something the court does not do goes back to its sender, once."""
    reason = ReturnReason.UNSUPPORTED_ACTION
    why = f"{reason.zh}: {order.action.zh} ({order.action.value})"
    refused = RefusedOrder(
        id=matter_id,
        case_id=order.case_id,
        sender=agency,
        action=order.action.value,
        reason_code=reason.value,
        reason=why,
    )
    notice = Order.of(order, sender=agency).returned(
        reason_code=reason.value, reason=why, at=tribunal.clock()
    )
    answer = tribunal.outgoing(matter_id, [notice], envelope.id)
    await refusals.give_back(tribunal.stores.refusals, refused, answer, cause=envelope.id)
