"""The edge's OAuth2 token endpoint (RFC 6749 §4.4, client credentials), and the reading of
request bodies the edge's routes share.

Errors here follow RFC 6749 §5.2 (``{error, error_description}``), not problem details, since
OAuth client libraries read them.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from gateway.adapters.agency_tokens import issue_agency_token, token_key
from gateway.adapters.credentials import client_secret_matches
from gateway.api.deps import gateway_in, public_rate_limit
from gateway.bootstrap import Gateway
from gateway.domain.registry import Agency
from gateway.domain.scopes import ScopeNotAllowed, format_scope, granted
from gateway.schemas.oauth import TokenAnswer

router = APIRouter(tags=["agency edge"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
FORM, FORM_LIMIT = "application/x-www-form-urlencoded", 8 * 1024


class OAuthError(Exception):
    """An RFC 6749 §5.2 error answer."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status
        # RFC 6749 §5.2: a failed client authentication is challenged like HTTP Basic.
        basic = {"WWW-Authenticate": 'Basic realm="fengqiao-gateway"'}
        self.headers = basic if status == 401 else {}


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None if it is larger than ``limit`` bytes (read no further than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


async def read_form(request: Request) -> dict[str, str]:
    if media_type(request) != FORM:
        raise OAuthError("invalid_request", f"send the parameters as {FORM}")
    body = await read_body(request, FORM_LIMIT)
    if body is None:
        raise OAuthError("invalid_request", "the request is too large")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=20)
    except ValueError:  # not UTF-8, or too many fields
        raise OAuthError("invalid_request", "the form cannot be read") from None
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise OAuthError("invalid_request", f"{name} is given more than once")
        params[name] = value
    # RFC 6749 §3.1: a parameter without a value is treated as omitted.
    return {name: value for name, value in params.items() if value}


def _client_credentials(request: Request, params: dict[str, str]) -> tuple[str, str]:
    header = request.headers.get("Authorization")
    if header is None:
        if "client_id" not in params or "client_secret" not in params:
            raise OAuthError(
                "invalid_client",
                "authenticate with HTTP Basic or client_id and client_secret",
                status=401,
            )
        return params["client_id"], params["client_secret"]
    if "client_secret" in params:
        raise OAuthError("invalid_request", "authenticate one way: HTTP Basic or the form")
    scheme, _, encoded = header.partition(" ")
    try:
        if scheme.lower() != "basic":
            raise ValueError(scheme)
        user, colon, password = (
            base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        )
    except ValueError:  # not Basic, not base64, not UTF-8
        raise OAuthError(
            "invalid_client", "the Authorization header is not HTTP Basic", status=401
        ) from None
    # RFC 6749 §2.3.1: the id and secret are form-encoded before Basic encodes them.
    client_id = unquote_plus(user)
    if not colon or params.get("client_id", client_id) != client_id:
        detail = "the Basic credentials are malformed or disagree with client_id"
        raise OAuthError("invalid_client", detail, status=401)
    return client_id, unquote_plus(password)


async def authenticate_client(
    request: Request, params: dict[str, str], gateway: Gateway
) -> tuple[Agency, int, frozenset[str]]:
    """The agency, its credential generation and the scopes to grant; OAuthError if not."""
    client_id, secret = _client_credentials(request, params)
    agency = (await gateway.registry.current()).get(client_id)
    generation = None if agency is None else await gateway.registry.generation(client_id)
    if agency is None or generation is None:
        raise OAuthError("invalid_client", "client authentication failed", status=401)
    if not client_secret_matches(agency.id, generation, secret):
        raise OAuthError("invalid_client", "client authentication failed", status=401)
    if agency.disabled:
        raise OAuthError("invalid_client", f"agency {agency.id} is disabled", status=401)
    try:
        return agency, generation, granted(agency, params.get("scope"))
    except ScopeNotAllowed as error:
        raise OAuthError("invalid_scope", str(error)) from None


_FORM_FIELDS = ("grant_type", "client_id", "client_secret", "scope")
_TOKEN_DOCS: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {name: {"type": "string"} for name in _FORM_FIELDS},
                }
            }
        },
    }
}
_OAUTH_ERROR = {"description": "RFC 6749 §5.2: {error, error_description}"}


@router.post(
    "/oauth/token",
    response_model=TokenAnswer,
    summary="OAuth2 client credentials",
    openapi_extra=_TOKEN_DOCS,
    responses={400: _OAUTH_ERROR, 401: _OAUTH_ERROR, 429: {}},
    # Public: guessing client secrets costs a request each, and only so many per minute.
    dependencies=[Depends(public_rate_limit)],
)
async def token(request: Request) -> JSONResponse:
    """RFC 6749 §4.4: an agency's client id and secret (form fields or HTTP Basic) for a
    bearer token; ``scope`` narrows it to part of what the agency's registry entry allows."""
    gateway = gateway_in(request)
    try:
        params = await read_form(request)
        grant = params.get("grant_type")
        if grant is None:
            raise OAuthError("invalid_request", "grant_type is required")
        if grant != "client_credentials":
            raise OAuthError("unsupported_grant_type", "only client_credentials is supported")
        agency, generation, scopes = await authenticate_client(request, params, gateway)
    except OAuthError as error:
        return JSONResponse(
            {"error": error.error, "error_description": error.description},
            status_code=error.status,
            headers={**NO_STORE, **error.headers},
        )
    ttl = gateway.settings.token_ttl_s
    access = issue_agency_token(
        secret=token_key(),
        agency=agency.id,
        scopes=scopes,
        generation=generation,
        ttl=timedelta(seconds=ttl),
    )
    answer = TokenAnswer(access_token=access, expires_in=ttl, scope=format_scope(scopes))
    return JSONResponse(answer.model_dump(), headers=NO_STORE)
