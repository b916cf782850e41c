"""Agencies' bearer tokens on the HTTP edge: HS256 JWTs the gateway issues and accepts.

A token names the agency, its scopes and the credential generation it was issued under, so
rotating an agency's client secret also revokes the tokens obtained with the old one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from fastapi import Request
from starlette.exceptions import HTTPException

from fengqiao.clock import now_utc
from fengqiao.security import InvalidToken, service_secret
from fengqiao.security.tokens import decode_claims
from gateway.bootstrap import gateway_of
from gateway.domain.registry import Agency
from gateway.domain.scopes import format_scope, scopes_of

ISSUER = "fengqiao-gateway"
AUDIENCE = "fengqiao-exchange"
KEY_SERVICE, KEY_PURPOSE = "gateway", "agency-token-key"
LEEWAY = timedelta(seconds=30)
_REQUIRED = ["iss", "aud", "sub", "iat", "exp", "scope", "gen"]


@dataclass(frozen=True)
class AgencyToken:
    """What a verified token says."""

    agency: str
    scopes: frozenset[str]
    generation: int


@dataclass(frozen=True)
class AgencyCaller:
    """The agency a request comes from, and the scopes it holds for this request."""

    agency: Agency
    scopes: frozenset[str]


def token_key() -> bytes:
    return service_secret(KEY_SERVICE, KEY_PURPOSE)


def issue_agency_token(
    *, secret: bytes, agency: str, scopes: frozenset[str], generation: int, ttl: timedelta
) -> str:
    if ttl <= timedelta(0):
        raise ValueError("a token's lifetime must be positive")
    if not scopes:
        raise ValueError("a token without scopes is of no use")
    now = now_utc()
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": agency,
        "scope": format_scope(scopes),
        "gen": generation,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_agency_token(token: str, *, secret: bytes) -> AgencyToken:
    claims = decode_claims(
        token, secret=secret, audience=AUDIENCE, issuer=ISSUER, required=_REQUIRED
    )
    subject, scope, generation = claims["sub"], claims["scope"], claims["gen"]
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("token's 'sub' claim is not an agency id")
    if not isinstance(scope, str):
        raise InvalidToken("token's 'scope' claim is not a string")
    if isinstance(generation, bool) or not isinstance(generation, int):
        raise InvalidToken("token's 'gen' claim is not an integer")
    return AgencyToken(subject, frozenset(scope.split()), generation)


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
        gateway = gateway_of(request.app.state.runtime)
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
