"""The edge's answer to an agency pulling its events."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class PulledEvents(BaseModel):
    events: list[dict[str, Any]]
    next: str
    skipped: int
