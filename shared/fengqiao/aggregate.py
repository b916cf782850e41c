"""The base of every stored aggregate, kept free of I/O so domain packages can build on it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Aggregate(BaseModel):
    """An aggregate's id, the version it was read at, and the ids of events applied to it."""

    id: str
    version: int = 0
    inbox: list[str] = Field(default_factory=list, description="ids of events applied to it")
