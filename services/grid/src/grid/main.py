"""Bootstrap of the grid service (综合网格): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app
from grid import api, consumers

app = create_service_app("grid", routers=[api.router], wiring=consumers.wiring)
