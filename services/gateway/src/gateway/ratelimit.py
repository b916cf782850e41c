"""The public endpoints' rate limit, per client IP: ``Depends(public_rate_limit)``.

The client is the peer address the server saw; behind a reverse proxy, run uvicorn with
``--proxy-headers --forwarded-allow-ips=<proxy>`` so that is the citizen's address. Trusting
X-Forwarded-For from anyone would let a client pick a fresh key per request.
"""

from __future__ import annotations

import time

from fastapi import HTTPException, Request

from gateway.bootstrap import gateway_of
from gateway.domain.ratelimit import RateLimiter, retry_after

STATE_KEY = "public_rate_limiter"


def limiter_of(request: Request) -> RateLimiter:
    """The app's limiter, made on first use from the gateway's settings (one per process)."""
    runtime = request.app.state.runtime
    limiter = runtime.state.get(STATE_KEY)
    if not isinstance(limiter, RateLimiter):
        rate = gateway_of(runtime).settings.public_rate_per_minute
        limiter = RateLimiter.per_minute(rate, clock=time.monotonic)
        runtime.state[STATE_KEY] = limiter
    return limiter


async def public_rate_limit(request: Request) -> None:
    client = request.client.host if request.client else "unknown"
    wait = limiter_of(request).take(client)
    if wait is not None:
        # The service's problem handler turns this into RFC 9457 problem details.
        raise HTTPException(
            429,
            detail="too many requests from this address; try again later",
            headers={"Retry-After": retry_after(wait)},
        )
