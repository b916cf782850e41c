"""Bootstrap of the procuratorate service (人民检察院 派驻检察室): settings, wiring, lifespan,
the reminder pass, and how its refusals answer: a step the rules do not allow changes nothing
and gets a 4xx (RFC 9457 problem details)."""

from __future__ import annotations

from fastapi import FastAPI

from fengqiao.web import create_service_app
from fengqiao.web.problems import answer_refusals
from procuratorate import api, consumers, timers
from procuratorate.adapters.store import INDEXES
from procuratorate.domain.errors import DomainError, IllegalTransition, InvalidRequest, NotFound

STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    IllegalTransition: 409,  # NotAddressee too
    InvalidRequest: 422,  # a hearing in the past, a bad panel, an amount above the cap, ...
}


def create_app() -> FastAPI:
    """The procuratorate's app, configured from the environment at the time of the call."""
    app = create_service_app(
        "procuratorate",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[timers.start],
    )
    answer_refusals(app, DomainError, STATUS, title="Not allowed by the procuratorate's rules")
    return app


app = create_app()
