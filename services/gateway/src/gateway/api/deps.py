"""The HTTP edge's dependencies: the gateway's context, the calling staff member or agency,
and the public endpoints' rate limit."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from fengqiao.security import Caller, InvalidToken
from fengqiao.web.auth import require_role
from gateway.adapters.agency_tokens import AUDIENCE, token_key, verify_agency_token
from gateway.bootstrap import Gateway, gateway_of
from gateway.domain.ratelimit import RateLimiter, retry_after
from gateway.domain.registry import Agency
from gateway.domain.scopes import scopes_of

STATE_KEY = "public_rate_limiter"


def gateway_in(request: Request) -> Gateway:
    """The context of the gateway serving ``request``."""
    return gateway_of(request.app.state.runtime)


GatewayDep = Annotated[Gateway, Depends(gateway_in)]
Admin = Annotated[Caller, Depends(require_role("admin"))]


@dataclass(frozen=True)
class AgencyCaller:
    """The agency a request comes from, and the scopes it holds for this request."""

    agency: Agency
    scopes: frozenset[str]


def _quotable(value: str) -> str:
    # RFC 6750 §3: a quoted value is printable ASCII without '"' or '\\'.
    ascii_only = value.encode("ascii", "replace").decode("ascii")
    return ascii_only.replace('"', "'").replace("\\", "/")


def _challenge(**params: str) -> dict[str, str]:
    parts = [f'realm="{AUDIENCE}"'] + [f'{k}="{_quotable(v)}"' for k, v in params.items()]
    return {"WWW-Authenticate": "Bearer " + ", ".join(parts)}


def _unauthorized(reason: str) -> HTTPException:
    headers = _challenge(error="invalid_token", error_description=reason)
    return HTTPException(401, detail=reason, headers=headers)


def agency_caller(scope: str) -> Callable[[Request], Awaitable[AgencyCaller]]:
    """A dependency: the calling agency if its token is valid and holds ``scope``.

    401 without a valid token, or when the agency was disabled or its credentials rotated
    since the token was issued; 403 without the scope, judged against the registry as it is
    now (a token's scopes only narrow what the agency's entry allows today).
    """

    async def calling_agency(request: Request) -> AgencyCaller:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            # RFC 6750 §3.1: a request without credentials gets a challenge but no error code.
            raise HTTPException(401, detail="a bearer token is required", headers=_challenge())
        try:
            claims = verify_agency_token(token.strip(), secret=token_key())
        except InvalidToken as error:
            raise _unauthorized(str(error)) from None
        gateway = gateway_in(request)
        agency = (await gateway.registry.current()).get(claims.agency)
        if agency is None:
            raise _unauthorized(f"agency {claims.agency} is not in the registry")
        if agency.disabled:
            raise _unauthorized(f"agency {agency.id} is disabled")
        if await gateway.registry.generation(agency.id) != claims.generation:
            raise _unauthorized(f"agency {agency.id}'s credentials were rotated; get a new token")
        held = claims.scopes & scopes_of(agency)
        if scope not in held:
            reason = f"this call needs the scope {scope}"
            headers = _challenge(error="insufficient_scope", scope=scope)
            raise HTTPException(403, detail=reason, headers=headers)
        return AgencyCaller(agency=agency, scopes=held)

    return calling_agency


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
    """The public endpoints' rate limit, per client IP: ``Depends(public_rate_limit)``.

    The client is the peer address the server saw; behind a reverse proxy, run uvicorn with
    ``--proxy-headers --forwarded-allow-ips=<proxy>`` so that is the citizen's address. Trusting
    X-Forwarded-For from anyone would let a client pick a fresh key per request.
    """
    client = request.client.host if request.client else "unknown"
    wait = limiter_of(request).take(client)
    if wait is not None:
        # The service's problem handler turns this into RFC 9457 problem details.
        raise HTTPException(
            429,
            detail="too many requests from this address; try again later",
            headers={"Retry-After": retry_after(wait)},
        )
