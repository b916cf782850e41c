"""Bootstrap of the justice service (司法所): settings, wiring, lifespan."""

from __future__ import annotations

from fengqiao.web import create_service_app
from justice import api, consumers

app = create_service_app("justice", routers=[api.router], wiring=consumers.wiring)
