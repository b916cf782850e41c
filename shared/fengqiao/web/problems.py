"""RFC 9457 problem details for every error a client can cause (and the ones it cannot)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from fengqiao.contracts.envelope import ContractError
from fengqiao.messaging.consumer import is_transient
from fengqiao.storage.errors import ConcurrencyError, NotFound
from fengqiao.storage.paging import InvalidCursor

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = Problem(title=title or HTTPStatus(status).phrase, status=status, detail=detail, **extra)
    return JSONResponse(
        body.model_dump(exclude_none=True, mode="json"),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return problem_response(
            exc.status_code, str(exc.detail), instance=request.url.path, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(err.get("loc", ())), "msg": err.get("msg", "")} for err in exc.errors()
        ]
        return problem_response(
            422, "the request does not match the API", instance=request.url.path, errors=errors
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem_response(404, str(exc), instance=request.url.path)

    @app.exception_handler(InvalidCursor)
    async def bad_cursor(request: Request, exc: InvalidCursor) -> JSONResponse:
        return problem_response(422, str(exc), instance=request.url.path)

    @app.exception_handler(ConcurrencyError)
    async def conflict(request: Request, exc: ConcurrencyError) -> JSONResponse:
        return problem_response(409, f"{exc}; reload it and try again", instance=request.url.path)

    @app.exception_handler(ContractError)
    async def broken_contract(request: Request, exc: ContractError) -> JSONResponse:
        return problem_response(422, exc.detail, instance=request.url.path, reason=exc.reason.value)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        if is_transient(exc):
            # The store or the broker is away for a moment (restarting, failing over): nothing
            # was decided, so the client may safely try again.
            log.warning("%s while answering %s", type(exc).__name__, request.url.path)
            return problem_response(
                503,
                "the store or the broker is briefly unavailable; try again",
                instance=request.url.path,
                headers={"Retry-After": "2"},
            )
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(500, "an unexpected error occurred", instance=request.url.path)


def answer_refusals(
    app: FastAPI,
    base: type[Exception],
    statuses: Mapping[type[Exception], int],
    *,
    title: str,
    default: int = 409,
) -> None:
    """Answer a service's domain refusals (``base`` and its subclasses) as problem details: the
    most specific class listed in ``statuses`` decides the status, else ``default``."""
    # Deepest class first, so a subclass listed beside its base wins.
    ordered = sorted(statuses.items(), key=lambda item: len(item[0].__mro__), reverse=True)

    async def refused(request: Request, exc: Exception) -> JSONResponse:
        status = next((code for kind, code in ordered if isinstance(exc, kind)), default)
        return problem_response(status, str(exc), instance=request.url.path, title=title)

    app.add_exception_handler(base, refused)
