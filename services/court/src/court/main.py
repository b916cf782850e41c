"""Bootstrap of the court service (人民法院 / 人民法庭): settings, wiring, lifespan, and how the
court's refusals answer: a step its rules do not allow changes nothing and gets a 4xx."""

from __future__ import annotations

from fastapi import FastAPI

from court import api, consumers, timers
from court.adapters.store import INDEXES
from court.domain.errors import DomainError, IllegalTransition, InvalidRequest, NotFound
from fengqiao.web import create_service_app
from fengqiao.web.problems import answer_refusals

# The domain's own classes say the status: MediatorUnavailable and NoMediatorAvailable are
# IllegalTransitions (409), TimeOutOfOrder, UnsupportedAction and IncompleteAgreement are
# InvalidRequests (422), UnknownMediator and UnknownAssignment are NotFound (404).
STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    IllegalTransition: 409,
    InvalidRequest: 422,
}


def create_app() -> FastAPI:
    """The court's app, configured from the environment at the time of the call."""
    app = create_service_app(
        "court",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[timers.seed_mediators, timers.start],
    )
    answer_refusals(app, DomainError, STATUS, title="Not allowed by the court's rules")
    return app


app = create_app()
