"""The station's own settings (``FENGQIAO_POLICE_*``), beside the ones every service has."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PoliceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_POLICE_", extra="ignore")

    grid_agency: str = Field(
        default="grid", min_length=1, description="agency id of the grid service (警格+网格)"
    )
    grid_accept_within: timedelta = Field(default=timedelta(hours=24), gt=timedelta(0))
    grid_visit_within: timedelta = Field(default=timedelta(days=3), gt=timedelta(0))
    seed_demo_units: bool = Field(
        default=True, description="put the demo town's units on the roster at start if absent"
    )
