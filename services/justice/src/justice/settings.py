"""The justice office's own settings (``FENGQIAO_JUSTICE_*``), beside the ones every service
has (agency id, database, broker and store come from ``runtime.settings``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from justice.domain.legal_aid import DEFAULT_THRESHOLD


class JusticeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_JUSTICE_", extra="ignore")

    court_agency: str = Field(
        default="court", min_length=1, description="agency id of the court (司法确认)"
    )
    court_accept_within: timedelta = Field(default=timedelta(days=3), gt=timedelta(0))
    court_decide_within: timedelta = Field(default=timedelta(days=15), gt=timedelta(0))
    agreement_prefix: str = Field(
        default="都斛调", min_length=1, max_length=20, description="协议书编号: 都斛调〔2026〕1号"
    )
    directory_file: Path | None = Field(
        default=None, description="YAML directory (committees, mediators…); omit: the demo town"
    )
    legal_aid_threshold: Decimal = Field(
        default=DEFAULT_THRESHOLD, ge=0, description="经济困难标准: monthly income per person, CNY"
    )
    seed_demo_advisers: bool = Field(
        default=True, description="register the directory's village advisers at start if absent"
    )
