"""Bootstrap of the gateway (交换网关): the router, the audit archive, the registry seed, the
HTTP edge and the citizens' endpoints. Like every service it starts without its store or broker
and gets ready when they come."""

from __future__ import annotations

from fastapi import FastAPI

from fengqiao.web import create_service_app
from gateway import api, consumers, timers
from gateway.adapters.open311_store import INDEXES as OPEN311_INDEXES


def create_app() -> FastAPI:
    """The gateway's app, configured from the environment at the time of the call."""
    return create_service_app(
        "gateway",
        routers=[api.router],
        indexes=OPEN311_INDEXES,
        wiring=consumers.wiring,
        on_start=[timers.start],
        on_stop=[timers.stop],
    )


app = create_app()
