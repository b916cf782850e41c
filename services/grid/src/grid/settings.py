"""The grid service's own settings (``FENGQIAO_GRID_*``), beside the ones every service has."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GridSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_GRID_", extra="ignore")

    hub_agency: str = Field(
        default="intake", description="agency id of the hub that patrol reports go to"
    )
    tick_interval_s: float = Field(
        default=30.0, gt=0, description="how often open tasks are checked against their clocks"
    )
