"""Bootstrap of the hub (综治中心): settings, wiring, lifespan, and how domain refusals answer."""

from __future__ import annotations

from fastapi import FastAPI

from fengqiao.web import create_service_app
from fengqiao.web.problems import answer_refusals
from intake import api, consumers, timers
from intake.adapters.store import INDEXES
from intake.domain.errors import DomainError, IllegalTransition, NoRuleMatched, UnknownAssignment

STATUS: dict[type[Exception], int] = {
    IllegalTransition: 409,
    UnknownAssignment: 404,
    NoRuleMatched: 422,
}


def create_app() -> FastAPI:
    """The hub's app, configured from the environment at the time of the call."""
    app = create_service_app(
        "intake",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[timers.start],
    )
    answer_refusals(app, DomainError, STATUS, title="Not allowed by the case's rules")
    return app


app = create_app()
