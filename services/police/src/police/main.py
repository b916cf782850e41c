"""Bootstrap of the police service (公安派出所): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app
from police import api, consumers

app = create_service_app("police", routers=[api.router], wiring=consumers.wiring)
