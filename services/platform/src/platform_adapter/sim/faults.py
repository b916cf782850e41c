"""Injected failures (故障注入): the platform answers a share of calls with 503, or too late.

A 503 is answered before the call reaches the platform: nothing is applied. A slow answer is
the worse case a client must survive: the call IS applied, and only then is the answer held
back ``slow_s`` seconds — longer than a client's timeout, so it never learns that it worked.
/oauth/token fails too, at ``token_failure_factor`` times the rate; /healthz and /sim never do.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from fengqiao.web.problems import problem_response
from platform_adapter.sim.state import Sim

_ENDPOINTS = (
    ("POST", re.compile(r"^/oauth/token$"), "token"),
    ("GET", re.compile(r"^/api/v1/events$"), "list"),
    ("GET", re.compile(r"^/api/v1/events/[^/]+$"), "event"),
    ("POST", re.compile(r"^/api/v1/events/[^/]+/status$"), "status"),
    ("POST", re.compile(r"^/api/v1/events/[^/]+/closure$"), "closure"),
    ("GET", re.compile(r"^/api/v1/events/[^/]+/status$"), "read_status"),
)


def endpoint_of(method: str, path: str) -> str | None:
    """The contract endpoint a call is for (its counter's name), or None."""
    for verb, pattern, name in _ENDPOINTS:
        if method == verb and pattern.match(path):
            return name
    return None


def install_faults(app: FastAPI) -> None:
    """Count every contract call and fail the configured share of them."""

    @app.middleware("http")
    async def faults(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        sim: Sim = request.app.state.sim
        endpoint = endpoint_of(request.method, request.url.path)
        if endpoint is None:
            return await call_next(request)
        sim.calls[endpoint] += 1
        rate = sim.failure_rate * (sim.config.token_failure_factor if endpoint == "token" else 1)
        # Both rolls always happen: the n-th call of a seeded run draws the same numbers
        # whatever the rate, so a higher rate fails a superset of the calls.
        fails, slow = sim.fault_rng.random() < rate, sim.fault_rng.random() < sim.config.slow_share
        if not fails:
            return await call_next(request)
        if not slow:
            sim.injected["unavailable"] += 1
            return problem_response(
                503,
                "the platform is busy; try again later",
                instance=request.url.path,
                headers={"Retry-After": "1"},
            )
        sim.injected["slow"] += 1
        answer = await call_next(request)
        await asyncio.sleep(sim.config.slow_s)
        return answer
