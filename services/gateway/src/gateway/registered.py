"""受理回告: the hub's answer to a report the gateway sent for an Open311 request. It names the
case and its tracking code, which the token lookup then gives the citizen's app."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseRegistered
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from fengqiao.storage.mongo import Document
from gateway.adapters.open311_store import Open311Store, TokenConflict


def on_registered(gateway_db: AsyncDatabase[Document]) -> EventHandler:
    store = Open311Store(gateway_db)

    async def handle(envelope: Envelope) -> None:
        event = envelope.payload()
        assert isinstance(event, CaseRegistered)
        try:
            # The external ref the gateway sent is the Open311 token; a redelivery is a no-op.
            await store.registered(
                event.external_ref, case_id=event.case_id, tracking_code=event.tracking_code
            )
        except TokenConflict as error:
            raise Rejected(str(error)) from None

    return handle
