"""A citizen's Open311 request: taken from the app and reported to the hub as
``case.reported.v1`` over the exchange, like any agency would; then 受理回告, the hub's answer,
which names the case and its tracking code for the token lookup to give the app."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Mapping

from aiokafka.errors import KafkaError
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.events import CaseRegistered
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from fengqiao.security.signing import sign
from fengqiao.storage.mongo import Document
from gateway.adapters.open311_store import Open311Store, TokenConflict
from gateway.bootstrap import Gateway
from gateway.domain import open311 as spec
from gateway.domain.exchange import agency_source
from gateway.domain.open311 import fail

log = logging.getLogger(__name__)


async def take_request(*, gateway: Gateway, app: str, fields: Mapping[str, str]) -> str:
    """Report the request in ``fields`` to the hub; its token. Open311Failure if the fields are
    not a request, or the report could not be sent (503)."""
    token, now = secrets.token_urlsafe(18), now_utc()
    report = spec.case_report(fields, token=token, now=now)
    store = gateway.open311
    # Stored first: the hub's answer may come back before publish() returns.
    await store.add(token, app=app, service_code=report.category.value, at=now)
    if gateway.producer is None:
        await store.forget(token)
        raise fail(503, "the gateway is starting; try again shortly")
    envelope = new_envelope(
        report, source=agency_source(gateway.agency), recipient=gateway.settings.hub_agency
    )
    try:
        await asyncio.wait_for(
            gateway.producer.publish(
                topics.outbound(gateway.agency), sign(envelope, gateway.signing_key)
            ),
            timeout=15,
        )
    except (KafkaError, TimeoutError):
        # Kept, not forgotten: a timed-out send may still reach the hub.
        raise fail(503, "the exchange is unavailable; try again shortly") from None
    return token


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


async def noted(envelope: Envelope) -> None:
    """A receipt or rejection of what the gateway itself sent: logged; the request store keeps
    the outcome that matters to the citizen (the hub's case.registered)."""
    log.debug("%s for %s: %s", envelope.type, envelope.causationid, envelope.data)
