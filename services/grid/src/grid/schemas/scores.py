"""A month's points (积分) per worker and stars (星级) per grid."""

from __future__ import annotations

from pydantic import BaseModel

from grid.domain.scores import GridMonth


class WorkerPoints(BaseModel):
    worker: str
    name: str
    points: int


class Scores(BaseModel):
    month: str
    workers: list[WorkerPoints]
    grids: list[GridMonth]
