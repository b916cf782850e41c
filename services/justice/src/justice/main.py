"""The justice service's app (司法所): routes, indexes, wiring and start-up, and how the office's
refusals answer: a step the rules do not allow changes nothing and gets a 4xx."""

from __future__ import annotations

from fastapi import FastAPI

from fengqiao.web import create_service_app
from fengqiao.web.problems import answer_refusals
from justice import api, consumers
from justice.adapters.store import INDEXES
from justice.domain.errors import (
    DomainError,
    IllegalTransition,
    InvalidData,
    InvalidRequest,
    NotFound,
)
from justice.timers import seed_advisers

STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    IllegalTransition: 409,
    InvalidRequest: 422,
    InvalidData: 500,  # a broken directory file: the server's fault, not the client's
}


def create_app() -> FastAPI:
    """The office's app, configured from the environment at the time of the call."""
    app = create_service_app(
        "justice",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[seed_advisers],
    )
    answer_refusals(app, DomainError, STATUS, title="Not allowed by the justice office's rules")
    return app


app = create_app()
