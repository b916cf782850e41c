"""Sim-only endpoints, outside the contract (模拟平台控制台): readiness, inspection and knobs for
demos that run the sim as another process. They need no token and never fail on purpose."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request

from platform_adapter.sim.state import Sim, UnknownEvent

router = APIRouter()


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/sim/state")
async def state(request: Request) -> dict[str, Any]:
    """Counters, the statuses pushed, and which listed records are repeats or broken."""
    sim: Sim = request.app.state.sim
    return {
        "events": len(sim.events),
        "duplicates": sim.store.duplicates,
        "malformed": {str(position): kind for position, kind in sim.store.malformed.items()},
        "statuses": sim.statuses(),
        "pushes": len(sim.pushes),
        "calls": dict(sim.calls),
        "injected": dict(sim.injected),
        "webhook": dict(sim.webhook),
        "rate": sim.rate,
        "failure_rate": sim.failure_rate,
    }


@router.post("/sim/failure-rate")
async def failure_rate(request: Request, rate: Annotated[float, Body(embed=True)]) -> Any:
    """Fail this share of API calls from now on."""
    return _knob(request.app.state.sim.set_failure_rate, rate)


@router.post("/sim/rate")
async def event_rate(request: Request, rate: Annotated[float, Body(embed=True)]) -> Any:
    """Produce this many events per second from now on."""
    return _knob(request.app.state.sim.set_rate, rate)


@router.post("/sim/events")
async def generate(request: Request, n: Annotated[int, Body(embed=True, ge=1, le=1000)]) -> Any:
    """List ``n`` records now."""
    sim: Sim = request.app.state.sim
    return {"events": sim.generate(n)}


@router.post("/sim/reports", status_code=201)
async def report(request: Request, given: Annotated[dict[str, Any], Body()]) -> Any:
    """List one well-formed report now; the ``given`` fields (category_code, area_code,
    reporter, location, title, description, channel, ...) replace the invented ones."""
    own = sorted({"event_id", "seq"} & set(given))
    if own:
        raise HTTPException(422, f"the platform numbers its events itself: drop {own}")
    sim: Sim = request.app.state.sim
    return sim.add_event(**given)


@router.post("/sim/reports/{event_id}/repeat", status_code=201)
async def repeat(request: Request, event_id: str) -> Any:
    """List the same incident again through another channel (重复件), under a new event id."""
    sim: Sim = request.app.state.sim
    try:
        return sim.repeat(event_id)
    except UnknownEvent:
        raise HTTPException(404, f"no event {event_id} is listed") from None


def _knob(setter: Any, value: float) -> dict[str, float]:
    try:
        setter(value)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return {"rate": value}
