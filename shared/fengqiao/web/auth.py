"""Who is calling: staff bearer tokens checked against the service's own token key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from fengqiao.security import Caller, InvalidToken, service_secret, verify_token

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def caller(request: Request) -> Caller:
    """The verified caller of this request; 401 without a valid bearer token."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, detail="a bearer token is required", headers=_CHALLENGE)
    runtime = request.app.state.runtime
    service: str = runtime.spec.name
    agency: str = runtime.settings.agency_id
    # A bad key configuration is the server's fault: WeakSecret becomes a 500, not a 401.
    secret = service_secret(service, "token-key")
    try:
        return verify_token(token.strip(), secret=secret, agency=agency)
    except InvalidToken as error:
        raise HTTPException(401, detail=str(error), headers=_CHALLENGE) from None


def require_role(*roles: str) -> Callable[[Caller], Awaitable[Caller]]:
    """A dependency: the caller, if they hold at least one of ``roles``; else 403."""
    if not roles:
        raise ValueError("require_role needs at least one role")
    needed = ", ".join(roles)

    async def holding_role(who: Annotated[Caller, Depends(caller)]) -> Caller:
        if not who.has_any(*roles):
            raise HTTPException(403, detail=f"requires one of the roles: {needed}")
        return who

    return holding_role
