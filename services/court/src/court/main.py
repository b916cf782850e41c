"""Bootstrap of the court service (人民法院): settings, wiring, lifespan."""

from __future__ import annotations

from court import api, consumers
from fengqiao.web import create_service_app

app = create_service_app("court", routers=[api.router], wiring=consumers.wiring)
