"""Where a point lies in the territory (网格定位) and who answers for that grid."""

from __future__ import annotations

from pydantic import BaseModel, Field


class GridAt(BaseModel):
    grid: str
    name: str
    chain: list[dict[str, str]] = Field(description="the grid and every unit above it")
    worker: str
    head: str
    partner: str | None
