"""Bootstrap of the police service (公安派出所): settings, wiring, lifespan, and how the
station's refusals answer: a step the rules do not allow changes nothing and gets a 4xx."""

from __future__ import annotations

from fastapi import FastAPI

from fengqiao.web import create_service_app
from fengqiao.web.problems import answer_refusals
from police import api, consumers, timers
from police.adapters.store import INDEXES
from police.domain.errors import (
    DomainError,
    IllegalTransition,
    NoUnitAvailable,
    TimeOutOfOrder,
    UnknownUnit,
)

STATUS: dict[type[Exception], int] = {
    IllegalTransition: 409,
    TimeOutOfOrder: 409,
    NoUnitAvailable: 409,
    UnknownUnit: 404,
}


def create_app() -> FastAPI:
    """The station's app, configured from the environment at the time of the call."""
    app = create_service_app(
        "police",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[timers.seed_units],
    )
    answer_refusals(app, DomainError, STATUS, title="Not allowed by the station's rules")
    return app


app = create_app()
