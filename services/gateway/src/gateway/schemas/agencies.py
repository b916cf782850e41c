"""The registry admin API's answers beside the registry entry itself (``Agency``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Credentials(BaseModel):
    client_id: str
    client_secret: str
    generation: int
    webhook_secret: str = Field(
        description="the HMAC key of X-Fengqiao-Signature on webhooks to this agency"
    )
