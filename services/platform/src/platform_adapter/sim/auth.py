"""The platform's OAuth 2.0 client-credentials grant (接口鉴权) and its bearer tokens."""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from fengqiao.web.problems import problem_response

if TYPE_CHECKING:
    from platform_adapter.sim.state import Sim

router = APIRouter()


class Tokens:
    """Access tokens handed out (访问令牌) and when each expires."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._expiry: dict[str, float] = {}  # token → monotonic seconds

    def issue(self) -> str:
        token = secrets.token_urlsafe(24)
        self._expiry[token] = time.monotonic() + self.ttl_s
        return token

    def valid(self, token: str) -> bool:
        return self._expiry.get(token, 0.0) > time.monotonic()

    def expire_all(self) -> None:
        self._expiry.clear()


@router.post("/oauth/token")
async def token(request: Request) -> JSONResponse:
    """Client credentials in the form or in HTTP Basic → a bearer token."""
    sim: Sim = request.app.state.sim
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode(errors="replace")).items()}
    client_id, secret = _basic(request.headers.get("authorization", ""))
    client_id = client_id or form.get("client_id")
    secret = secret or form.get("client_secret")
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials is granted")
    config = sim.config
    if not (
        client_id is not None
        and secret is not None
        and secrets.compare_digest(client_id, config.client_id)
        and secrets.compare_digest(secret, config.client_secret)
    ):
        return _oauth_error(401, "invalid_client", "unknown client or wrong secret")
    return JSONResponse(
        {
            "access_token": sim.tokens.issue(),
            "token_type": "Bearer",
            "expires_in": int(config.token_ttl_s),
        },
        headers={"Cache-Control": "no-store"},
    )


def require_token(request: Request) -> None:
    """Let through only a call carrying a live bearer token (else 401)."""
    sim: Sim = request.app.state.sim
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not sim.tokens.valid(token.strip()):
        raise HTTPException(
            401,
            "a valid bearer token is required: fetch one at /oauth/token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )


def _basic(header: str) -> tuple[str | None, str | None]:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        user, sep, password = base64.b64decode(encoded.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    return (user, password) if sep else (None, None)


def _oauth_error(status: int, error: str, detail: str) -> JSONResponse:
    # RFC 6749's "error" field inside an RFC 9457 problem: both kinds of client understand it.
    headers = {"WWW-Authenticate": "Basic"} if status == 401 else None
    return problem_response(status, detail, error=error, headers=headers)
