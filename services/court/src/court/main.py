"""Bootstrap of the court service (人民法院): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app

from court import api

app = create_service_app("court", routers=[api.router])
