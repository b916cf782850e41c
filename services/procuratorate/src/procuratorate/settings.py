"""The procuratorate's own settings (``FENGQIAO_PROCURATORATE_*``), beside the ones every
service has (agency id, database, keys: see ``fengqiao.settings``)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from fengqiao.contracts.codes import Level
from procuratorate.domain.hearings import MIN_HEARING_OFFICERS
from procuratorate.domain.judicial_aid import DEFAULT_CAP


class ProcuratorateSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_PROCURATORATE_", extra="ignore")

    hub_agency: str = Field(
        default="intake", min_length=1, description="agency id of the hub dispute reports go to"
    )
    reminder_interval_s: float = Field(
        default=60.0, gt=0, description="how often suggestions are checked for reminders due"
    )
    reminder_level: Level = Field(
        default=Level.COUNTY, description="the level a reminder (催告) says supervises the reply"
    )
    hearing_min_officers: int = Field(
        default=MIN_HEARING_OFFICERS, ge=1, description="听证员 a hearing panel needs at least"
    )
    aid_cap: Decimal = Field(
        default=DEFAULT_CAP, gt=0, description="司法救助 cap in yuan (36 months of the local wage)"
    )
