"""How platform-sim behaves: credentials, event flow, imperfections (模拟粤平安平台的配置)."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class SimConfig(BaseModel):
    """Settings of the stand-in provincial platform (粤平安模拟平台)."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(default="fengqiao", min_length=1)
    client_secret: str = Field(default="platform-sim-secret", min_length=1)
    token_ttl_s: float = Field(default=3600.0, gt=0, description="lifetime of an access token")

    rate: float = Field(default=0.0, ge=0, description="events per second while running; 0: none")
    initial_events: int = Field(default=0, ge=0, description="events listed from the start")
    duplicate_share: float = Field(
        default=0.1, ge=0, le=1, description="share of events repeating a recent one (重复件)"
    )
    duplicate_window_min: float = Field(
        default=30.0, gt=0, description="a repeat follows its original within this many minutes"
    )
    malformed_share: float = Field(
        default=0.05, ge=0, le=1, description="share of events broken on purpose"
    )

    failure_rate: float = Field(
        default=0.0, ge=0, le=1, description="share of API calls that fail (503 or slow)"
    )
    slow_share: float = Field(
        default=0.5, ge=0, le=1, description="of the failed calls, the share answered too late"
    )
    slow_s: float = Field(
        default=10.0, ge=0, description="delay of a slow answer: longer than a client's timeout"
    )
    token_failure_factor: float = Field(
        default=0.25, ge=0, le=1, description="/oauth/token fails at failure_rate times this"
    )

    seed: int | None = Field(default=None, description="fixes content and failures; None: random")

    webhook_url: str | None = Field(default=None, description="subscriber pushed new events")
    webhook_secret: str | None = Field(default=None, description="HMAC key of the subscriber")

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if self.duplicate_share + self.malformed_share > 1:
            raise ValueError("duplicate_share + malformed_share cannot exceed 1")
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("a webhook_url needs a webhook_secret to sign with")
        return self
