"""Bootstrap of the platform service (粤平安平台适配): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app
from platform_adapter import api, consumers

app = create_service_app("platform", routers=[api.router], wiring=consumers.wiring)
