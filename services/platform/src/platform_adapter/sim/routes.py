"""The contract's API (docs/platform-contract.md): events out, statuses and closures in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request

from platform_adapter.sim.auth import require_token
from platform_adapter.sim.state import Sim, UnknownEvent
from platform_adapter.sim.statuses import ClosurePush, PushKind, StatusPush
from platform_adapter.sim.store import BadCursor

router = APIRouter(prefix="/api/v1/events", dependencies=[Depends(require_token)])

EventId = Annotated[str, Path(min_length=1, max_length=64)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def _sim(request: Request) -> Sim:
    sim: Sim = request.app.state.sim
    return sim


SimDep = Annotated[Sim, Depends(_sim)]


@router.get("")
async def list_events(
    sim: SimDep,
    after: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    """New events after a cursor (事件列表), oldest first."""
    try:
        page = sim.store.page(after, limit)
    except BadCursor as error:
        raise HTTPException(422, str(error)) from None
    return {"events": page.events, "next_cursor": page.next_cursor, "has_more": page.has_more}


@router.get("/{event_id}")
async def one_event(sim: SimDep, event_id: EventId) -> Any:
    """One event as listed (事件详情)."""
    return _known(sim, event_id)


@router.post("/{event_id}/status")
async def push_status(
    sim: SimDep, event_id: EventId, body: StatusPush, key: IdempotencyKey = None
) -> Any:
    """Take a status (状态回传)."""
    return _push(sim, "status", event_id, key, body)


@router.post("/{event_id}/closure")
async def push_closure(
    sim: SimDep, event_id: EventId, body: ClosurePush, key: IdempotencyKey = None
) -> Any:
    """Take a closure (办结回传)."""
    return _push(sim, "closure", event_id, key, body)


@router.get("/{event_id}/status")
async def read_status(sim: SimDep, event_id: EventId) -> dict[str, Any]:
    """The platform's view of an event's handling (平台侧状态), with its history."""
    _known(sim, event_id)
    return sim.view_of(event_id)


def _push(
    sim: Sim, kind: PushKind, event_id: str, key: str | None, body: StatusPush | ClosurePush
) -> Any:
    if not key or not key.strip() or len(key) > 200:
        raise HTTPException(400, "an Idempotency-Key header (1..200 characters) is required")
    _known(sim, event_id)
    return sim.push(kind, event_id, key, body)


def _known(sim: Sim, event_id: str) -> Any:
    try:
        return sim.event(event_id)
    except UnknownEvent:
        raise HTTPException(404, f"no event {event_id}") from None
