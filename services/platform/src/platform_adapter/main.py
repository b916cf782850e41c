"""Bootstrap of the platform adapter (粤平安平台适配): settings, wiring, lifespan, its loops,
and how its refusals answer."""

from __future__ import annotations

from fastapi import FastAPI

from fengqiao.web import create_service_app
from fengqiao.web.problems import answer_refusals
from platform_adapter import api, consumers, timers
from platform_adapter.adapters.store import INDEXES
from platform_adapter.bootstrap import stop
from platform_adapter.domain.errors import DomainError, IllegalTransition, InvalidRequest

STATUS: dict[type[Exception], int] = {IllegalTransition: 409, InvalidRequest: 422}


def create_app() -> FastAPI:
    app = create_service_app(
        "platform",
        routers=[api.router],
        indexes=INDEXES,
        wiring=consumers.wiring,
        on_start=[timers.start],
        on_stop=[stop],
    )
    answer_refusals(app, DomainError, STATUS, title="Not allowed by the sync's rules")
    return app


app = create_app()
