"""A patrol report (事件上报) as the phone sends it with its disposal, and as it is read back."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import Category, Outcome
from fengqiao.contracts.events import Location
from grid.domain.patrol import Disposal, PatrolReport, Photo


class ReportIn(BaseModel):
    """事件上报 from the phone, with its disposal: resolved on the spot (微事不出格, the
    default) with its ``result``, or escalated to the hub with a ``reason``."""

    model_config = ConfigDict(extra="forbid")

    category: Category
    description: str = Field(min_length=1, max_length=10_000)
    location: Location
    photos: list[Photo] = Field(default_factory=list, max_length=9)
    urgent: bool = False
    disposal: Disposal = Disposal.IN_GRID
    result: str = Field(default="", max_length=5000, description="what was done on the spot")
    reason: str = Field(default="", max_length=2000, description="why it leaves the grid")
    outcome: Outcome = Outcome.RESOLVED


class ReportRead(PatrolReport):
    inbox: list[str] = Field(default_factory=list, exclude=True)
