"""The hub's own settings (``FENGQIAO_INTAKE_*``), beside the ones every service has."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class HubSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_INTAKE_", extra="ignore")

    policy_file: Path | None = Field(
        default=None, description="assessment rule table (YAML); default: the one shipped"
    )
    supervision_interval_s: float = Field(
        default=5.0, gt=0, description="how often the supervisor looks for clocks that ran out"
    )
    pii_roles: frozenset[str] = Field(
        default=frozenset({"officer", "supervisor", "leader"}),
        description="roles that may read parties' personal data unmasked",
    )
