"""The hub's orders (any agency's ``case.transferred.v1``): an order to mediate becomes a
mediation (收案), any other action goes back to its sender as ``case.returned.v1`` (退回); and the
hub's notices about its order (``case.supervised/escalated/closed.v1``), lines on the record.

Each event is applied once (its id is kept on the record in the same commit); one the office's
rules refuse goes to the DLQ with the reason."""

from __future__ import annotations

import logging

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope
from fengqiao.contracts.events import (
    CaseClosed,
    CaseEscalated,
    CaseReturned,
    CaseSupervised,
    CaseTransferred,
)
from fengqiao.contracts.orders import order_id
from fengqiao.messaging import OutboxMessage, apply_once, create_once, refusals
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.notices import records_noticed
from fengqiao.messaging.pump import EventHandler
from fengqiao.messaging.refusals import RefusedOrder
from justice.bootstrap import Office
from justice.domain import hub_notes, reception
from justice.domain.errors import DomainError
from justice.domain.mediation import Mediation

log = logging.getLogger(__name__)


def on_transferred(office: Office) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        order = envelope.payload()
        assert isinstance(order, CaseTransferred)
        agency = envelope.sender
        mediation_id = order_id(agency, order.assignment_id)
        try:
            mediation = reception.from_order(mediation_id, order, now=now_utc(), sender=agency)
        except reception.UnsupportedAction:
            await give_back(office, envelope, order, agency, mediation_id)
            return
        except DomainError as error:
            raise Rejected(str(error)) from None

        await create_once(office.stores.mediations, mediation_id, envelope.id, lambda: mediation)

    return handle


async def give_back(
    office: Office, envelope: Envelope, order: CaseTransferred, agency: str, record_id: str
) -> None:
    """退回 an order the office does not take, once, without registering a mediation."""
    [notice] = reception.decline(order, now=now_utc(), sender=agency)
    returned = notice.data
    assert isinstance(returned, CaseReturned)
    refused = RefusedOrder(
        id=record_id,
        case_id=order.case_id,
        sender=agency,
        reason_code=returned.reason_code,
        reason=returned.reason,
    )
    answer = office.outgoing(record_id, [notice], envelope.id)
    await refusals.give_back(office.stores.refusals, refused, answer, cause=envelope.id)


def on_hub_notice(office: Office) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        notice = envelope.payload()
        assert isinstance(notice, CaseSupervised | CaseEscalated | CaseClosed)
        agency = envelope.sender
        where = {"hub.case_id": notice.case_id, "hub.sender": agency}
        found = await records_noticed(office.stores.mediations, notice, sender=agency, where=where)
        concerned = [m for m in found if hub_notes.concerns(m, notice, agency=agency)]
        if not concerned:
            # E.g. an order the office gave back: there is no mediation to note it on.
            log.info("%s from %s concerns no mediation", envelope.type, agency)
            return
        for mediation in concerned:

            def change(current: Mediation | None) -> tuple[Mediation, list[OutboxMessage]]:
                assert current is not None  # found above; mediations are never deleted
                hub_notes.note(current, notice, agency=agency, now=now_utc())
                return current, []

            await apply_once(office.stores.mediations, mediation.id, envelope.id, change)

    return handle
