"""The adapter's own settings (``FENGQIAO_PLATFORM_*``), beside the ones every service has."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PlatformSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_PLATFORM_", extra="ignore")

    upstream_url: str = Field(
        default="http://127.0.0.1:8017", description="the provincial platform's API (or the sim)"
    )
    client_id: str = Field(default="fengqiao", min_length=1)
    client_secret: str = Field(
        default="platform-sim-secret",
        min_length=1,
        description="the platform's client secret for us; the default is platform-sim's",
    )
    hub_agency: str = Field(default="intake", description="the hub's agency id")
    poll_interval_s: float = Field(default=2.0, gt=0, description="how often new events are pulled")
    page_size: int = Field(default=50, ge=1, le=100)
    push_interval_s: float = Field(default=1.0, gt=0, description="how often owed pushes are sent")
    reconcile_interval_s: float = Field(
        default=300.0, gt=0, description="how often both sides are compared and drift repaired"
    )
    duplicate_window_h: float = Field(
        default=48.0, gt=0, description="same phone, area and category within it: a duplicate"
    )
    timeout_s: float = Field(default=5.0, gt=0, description="one call to the platform")
    breaker_failures: int = Field(default=5, ge=1, description="failures in a row that open it")
    breaker_cooldown_s: float = Field(default=10.0, gt=0)
