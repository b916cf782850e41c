"""Build platform-sim's app (粤平安模拟平台): the contract's API over an in-memory Sim."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from fengqiao.web.problems import install_problem_handlers
from platform_adapter.sim import auth, control, routes
from platform_adapter.sim.background import produce, push_new_events
from platform_adapter.sim.config import SimConfig
from platform_adapter.sim.faults import install_faults
from platform_adapter.sim.state import Sim


def create_sim_app(config: SimConfig) -> FastAPI:
    """The sim's app; its state is ``app.state.sim``. While it runs (lifespan), new events
    arrive at ``config.rate`` and are pushed to ``config.webhook_url`` if set."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(produce(sim)), asyncio.create_task(push_new_events(sim))]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    sim = Sim(config)
    app = FastAPI(title="platform-sim (粤平安模拟平台)", version="1", lifespan=lifespan)
    app.state.sim = sim
    install_problem_handlers(app)
    install_faults(app)
    app.include_router(auth.router)
    app.include_router(routes.router)
    app.include_router(control.router)
    return app
