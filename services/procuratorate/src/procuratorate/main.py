"""Bootstrap of the procuratorate service (人民检察院): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app
from procuratorate import api, consumers

app = create_service_app("procuratorate", routers=[api.router], wiring=consumers.wiring)
