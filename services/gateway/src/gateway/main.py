"""Bootstrap of the gateway service (交换网关): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app
from gateway import api, consumers

app = create_service_app("gateway", routers=[api.router], wiring=consumers.wiring)
