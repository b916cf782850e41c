"""Bootstrap of the grid service (综合网格): settings, wiring, lifespan, and how domain refusals
answer (RFC 9457 problem details; a refusal changes nothing)."""

from __future__ import annotations

from fastapi import FastAPI

from fengqiao.web import create_service_app
from fengqiao.web.problems import answer_refusals
from grid import api, consumers, timers
from grid.adapters.store import INDEXES
from grid.domain.errors import (
    DomainError,
    IllegalTransition,
    InvalidData,
    NotAssignee,
    OutsideTerritory,
    UnknownUnit,
    UnknownWorker,
    UnsupportedAction,
)

# AlreadyAccepted is an IllegalTransition, so both are a 409.
STATUS: dict[type[Exception], int] = {
    InvalidData: 500,  # broken seed data: the server's fault
    IllegalTransition: 409,
    NotAssignee: 403,
    UnknownWorker: 403,
    UnknownUnit: 404,
    OutsideTerritory: 422,
    UnsupportedAction: 422,
}


def create_app() -> FastAPI:
    """The grid's app, configured from the environment at the time of the call."""
    app = create_service_app(
        "grid",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[timers.start],
    )
    answer_refusals(app, DomainError, STATUS, title="Not allowed by the grid's rules", default=422)
    return app


app = create_app()
