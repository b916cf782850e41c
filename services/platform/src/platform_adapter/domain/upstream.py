"""The event (事件) as the platform sends it, checked against docs/platform-contract.md.

Fields the contract does not name are ignored, so the platform may add some; a field it names
must have the contract's shape, or the event is rejected with the field named.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt


def _rfc3339_text(value: object) -> object:
    # Lax pydantic would read a bare number as a Unix time; the contract promises RFC 3339 text.
    if not isinstance(value, str):
        raise ValueError("must be an RFC 3339 date-time string with an offset")
    return value


Rfc3339 = Annotated[AwareDatetime, BeforeValidator(_rfc3339_text)]
Text = Annotated[str, Field(strict=True)]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Reporter(_Part):
    """The citizen who reported it (上报人); the platform may leave out either field."""

    name: Text | None = Field(default=None, min_length=1, max_length=100)
    phone: Text | None = Field(default=None, min_length=1, max_length=40)


class Spot(_Part):
    """Where it happened, as the reporter placed it (位置)."""

    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    address: Text | None = Field(default=None, max_length=300)


class UpstreamEvent(_Part):
    """粤平安事件: one event from the list, a webhook, or ``GET /api/v1/events/{id}``."""

    event_id: Text = Field(min_length=1, max_length=100)
    seq: StrictInt = Field(ge=0)
    channel: Literal["app", "mini_program", "hotline_12345", "grid_app", "web"]
    category_code: Text = Field(min_length=1, max_length=40)
    area_code: Text = Field(pattern=r"^\d{12}$")
    title: Text = Field(min_length=1, max_length=200)
    description: Text = Field(max_length=10_000)
    reported_at: Rfc3339
    reporter: Reporter | None = None
    location: Spot | None = None
    urgency: Literal["normal", "urgent"]

    @property
    def reported_at_utc(self) -> datetime:
        return self.reported_at.astimezone(UTC)
