"""Bootstrap of the hub (综治中心): settings, wiring, lifespan, and how domain refusals answer."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from fengqiao.web import create_service_app
from fengqiao.web.problems import problem_response
from intake import api, consumers, supervisor
from intake.adapters.store import INDEXES
from intake.domain.errors import DomainError, IllegalTransition, NoRuleMatched, UnknownAssignment

STATUS: dict[type[Exception], int] = {
    IllegalTransition: 409,
    UnknownAssignment: 404,
    NoRuleMatched: 422,
}


async def refused(request: Request, exc: Exception) -> JSONResponse:
    status = STATUS.get(type(exc), 409)
    return problem_response(
        status, str(exc), instance=request.url.path, title="Not allowed by the case's rules"
    )


def create_app() -> FastAPI:
    """The hub's app, configured from the environment at the time of the call."""
    app = create_service_app(
        "intake",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[supervisor.start],
        on_stop=[supervisor.stop],
    )
    app.add_exception_handler(DomainError, refused)
    return app


app = create_app()
