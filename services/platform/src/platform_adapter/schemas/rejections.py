"""Pages of the upstream inputs rejected without an event id."""

from __future__ import annotations

from pydantic import BaseModel

from platform_adapter.domain.rejections import RejectedInput


class RejectionPage(BaseModel):
    items: list[RejectedInput]
    next_cursor: str | None
