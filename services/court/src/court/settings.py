"""The court's own settings (``FENGQIAO_COURT_*``), beside the ones every service has."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from court.domain.case_numbers import DUHU, Court
from court.domain.confirmation import DECISION_LIMIT
from court.domain.prelitigation import MEDIATION_LIMIT


class CourtSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_COURT_", extra="ignore")

    court_code: str = Field(
        default=DUHU.code, pattern=r"^[^\s()（）]+$", description="法院代字 in case numbers"
    )
    court_name: str = Field(default=DUHU.name, min_length=1, max_length=100)
    mediation_limit: timedelta = Field(default=MEDIATION_LIMIT, gt=timedelta(0))
    decision_limit: timedelta = Field(
        default=DECISION_LIMIT, gt=timedelta(0), description="司法确认: accepted to decided"
    )
    seed_demo_mediators: bool = Field(
        default=True, description="put the demo court's mediators on the roster at start if absent"
    )
    overdue_interval_s: float = Field(
        default=300.0, gt=0, description="how often open suggestions are checked for overdue"
    )

    @property
    def court(self) -> Court:
        return Court(code=self.court_code, name=self.court_name)
