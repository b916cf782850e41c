"""Pages of sync records, as operators list them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from platform_adapter.domain.sync import SyncRecord


class RecordPage(BaseModel):
    items: list[SyncRecord]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")
