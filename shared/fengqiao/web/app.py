"""Build a service's FastAPI app: the shared endpoints, error handling, telemetry, runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from fengqiao import __version__
from fengqiao.catalog import spec_of
from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.settings import InfraSettings, service_settings
from fengqiao.storage import IndexSpec
from fengqiao.telemetry import configure_logging, configure_telemetry
from fengqiao.web import health
from fengqiao.web.problems import install_problem_handlers

Hook = Callable[[Runtime], Awaitable[None]]


def create_service_app(
    name: str,
    *,
    routers: Sequence[APIRouter] = (),
    indexes: Sequence[IndexSpec] = (),
    wiring: Callable[[Runtime], Wiring] | None = None,
    on_start: Sequence[Hook] = (),
    on_stop: Sequence[Hook] = (),
) -> FastAPI:
    """The app of service ``name`` (a catalogue name).

    At start it creates ``indexes`` (in the background if the store is not up yet) and, given
    ``wiring``, runs the service's consumer and outbox relay until shutdown.
    """
    spec = spec_of(name)
    settings = service_settings(spec.name, port=spec.port)
    configure_telemetry(spec.name)
    configure_logging(spec.name)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime(spec=spec, settings=settings, infra=InfraSettings())
        app.state.runtime = runtime
        try:
            if indexes:
                await runtime.ensure_indexes(indexes)
            for hook in on_start:
                await hook(runtime)
            # Messaging last in, first out: handlers never run without what the hooks set up.
            if wiring is not None:
                runtime.start_messaging(wiring(runtime))
            yield
        finally:
            try:
                await runtime.stop_messaging()
                for hook in reversed(on_stop):
                    await hook(runtime)
            finally:
                await runtime.close()

    app = FastAPI(
        title=f"Fengqiao {spec.en} ({spec.zh})",
        version=__version__,
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.include_router(health.router)
    for router in routers:
        app.include_router(router)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")
    return app
