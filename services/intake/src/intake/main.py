"""Bootstrap of the intake service (综治中心): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app
from intake import api, consumers

app = create_service_app("intake", routers=[api.router], wiring=consumers.wiring)
