"""Agencies' bearer tokens on the HTTP edge: HS256 JWTs the gateway issues and accepts, keyed
with one of its own keys. api/deps.py checks them on each request.

A token names the agency, its scopes and the credential generation it was issued under, so
rotating an agency's client secret also revokes the tokens obtained with the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from fengqiao.clock import now_utc
from fengqiao.security import InvalidToken, service_secret
from fengqiao.security.tokens import decode_claims
from gateway.domain.scopes import format_scope

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
