"""The HTTP edge for agencies without Kafka: an OAuth2 token, send events, pull events.

Events sent here take the same road as those an agency writes to Kafka itself: each is
judged as the router will judge it (so a client hears at once what the router would refuse)
and then written to the agency's own out-topic, which the router reads.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from aiokafka.errors import KafkaError
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from fengqiao.contracts import topics
from fengqiao.contracts.envelope import (
    CONTENT_TYPE,
    ContractError,
    Envelope,
    RejectReason,
    from_attributes,
    from_record,
    to_record,
)
from fengqiao.web.problems import problem_response
from gateway.adapters.pull import BadCursor, decode_cursor, encode_cursor, read_page
from gateway.api import oauth
from gateway.api.deps import AgencyCaller, agency_caller, gateway_in
from gateway.api.oauth import media_type, read_body
from gateway.bootstrap import Gateway
from gateway.domain.exchange import Refuse, judge
from gateway.domain.registry import Registry
from gateway.domain.scopes import EVENTS_READ, EVENTS_WRITE
from gateway.schemas.events import PulledEvents

# The edge is one router: sending and pulling events, and the token that allows them.
router = APIRouter(tags=["agency edge"])
router.include_router(oauth.router)

CE_JSON, CE_BATCH = "application/cloudevents+json", "application/cloudevents-batch+json"
MAX_BATCH = 100
MAX_PULL = 500
# Room for the attributes and for data sent with \u escapes (up to twice its UTF-8 size).
ENVELOPE_ROOM = 64 * 1024
BATCH_BODY_EVENTS = 16  # a batch body may be as large as this many maximal events
_EVENTS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "one structured CloudEvent, or a JSON array of them (a batch)",
        "content": {t: {"schema": {}} for t in (CE_JSON, CE_BATCH, "application/json")},
    }
}


@router.post(
    "/api/v1/events",
    status_code=202,
    summary="send events",
    openapi_extra=_EVENTS_BODY,
    responses={
        400: {"description": "not JSON"},
        413: {"description": "too large"},
        422: {"description": "refused"},
    },
)
async def send_events(
    request: Request, caller: Annotated[AgencyCaller, Depends(agency_caller(EVENTS_WRITE))]
) -> JSONResponse:
    """Judge every event as the router will; if one is refused, send none and say which and
    why (``errors``); else write them all, in order, to the agency's out-topic."""
    gateway, kind, path = gateway_in(request), media_type(request), request.url.path
    if kind not in (CE_JSON, CE_BATCH, "application/json"):
        return problem_response(415, f"send {CE_JSON} or {CE_BATCH}", instance=path)
    per_event = 2 * gateway.settings.max_event_bytes + ENVELOPE_ROOM
    limit = per_event * (1 if kind == CE_JSON else BATCH_BODY_EVENTS)
    body = await read_body(request, limit)
    if body is None:
        return problem_response(413, f"the body is larger than {limit} bytes", instance=path)
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return problem_response(400, "the body is not JSON", instance=path)
    if isinstance(parsed, dict) and kind != CE_BATCH:
        items: list[Any] = [parsed]
    elif isinstance(parsed, list) and kind != CE_JSON and parsed:
        items = parsed
    else:
        wanted = {CE_JSON: "an object", CE_BATCH: "a non-empty array"}.get(kind, "an event")
        return problem_response(400, f"the body must be {wanted}", instance=path)
    if len(items) > MAX_BATCH:
        return problem_response(413, f"a batch holds at most {MAX_BATCH} events", instance=path)
    registry = await gateway.registry.current()
    envelopes, errors = [], []
    for index, item in enumerate(items):
        outcome = _judged(item, caller.agency.id, registry, gateway)
        if isinstance(outcome, Envelope):
            envelopes.append(outcome)
        else:
            event_id = item.get("id") if isinstance(item, dict) else None
            errors.append(
                {
                    "index": index,
                    "id": event_id if isinstance(event_id, str) else None,
                    "reason_code": outcome.code,
                    "reason": outcome.reason,
                }
            )
    if errors:
        detail = f"{len(errors)} of {len(items)} events refused; none was sent"
        return problem_response(422, detail, instance=path, errors=errors)
    if gateway.producer is None:
        return problem_response(503, "the gateway is starting", instance=path)
    outbound = topics.outbound(caller.agency.id)
    try:
        await gateway.producer.publish_many([(outbound, e, None) for e in envelopes])
    except KafkaError:
        # Some may be written already: sending all again is safe, recipients apply an id once.
        detail = "the exchange is unavailable; send the events again"
        return problem_response(503, detail, instance=path, headers={"Retry-After": "5"})
    return JSONResponse({"accepted": [e.id for e in envelopes]}, status_code=202)


def _judged(item: Any, sender: str, registry: Registry, gateway: Gateway) -> Envelope | Refuse:
    if not isinstance(item, dict):
        return Refuse(RejectReason.MALFORMED_JSON, "an event is a JSON object")
    if "data_base64" in item:
        return Refuse(RejectReason.INVALID_ATTRIBUTE, "data must be JSON, not data_base64")
    if item.get("datacontenttype", CONTENT_TYPE) != CONTENT_TYPE:
        return Refuse(RejectReason.INVALID_ATTRIBUTE, f"datacontenttype must be {CONTENT_TYPE}")
    try:
        envelope = from_attributes({k: v for k, v in item.items() if k != "data"}, item.get("data"))
    except ContractError as error:
        return Refuse(error.reason.value, error.detail)
    verdict = judge(
        envelope,
        sender=sender,
        size=len(to_record(envelope).value),  # the data as the router will see it
        limit=gateway.settings.max_event_bytes,
        registry=registry,
        key_of=gateway.key_of,
    )
    return verdict if isinstance(verdict, Refuse) else envelope


@router.get("/api/v1/events", response_model=PulledEvents, summary="pull events")
async def pull_events(
    request: Request,
    caller: Annotated[AgencyCaller, Depends(agency_caller(EVENTS_READ))],
    after: Annotated[str | None, Query(description="the `next` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 100,
) -> JSONResponse:
    """The events delivered to the agency, oldest first per case, after the cursor ``after``
    (none: from the beginning). Asking again with the same cursor gives the same events."""
    gateway, path = gateway_in(request), request.url.path
    inbound = topics.inbound(caller.agency.id)
    try:
        page = await read_page(gateway.kafka, inbound, decode_cursor(after), limit=limit)
    except BadCursor as error:
        return problem_response(400, str(error), instance=path)
    except KafkaError:
        return problem_response(503, "the exchange is unavailable", instance=path)
    events, skipped = [], 0
    for record in page.records:
        try:
            envelope = from_record(record.value, record.headers)
        except ContractError:
            skipped += 1  # the router checked it on the way in; this should not happen
            continue
        events.append(envelope.model_dump(mode="json", exclude_none=True))
    answer = PulledEvents(events=events, next=encode_cursor(page.positions), skipped=skipped)
    return JSONResponse(answer.model_dump(mode="json"))
