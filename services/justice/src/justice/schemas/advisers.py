"""HTTP schemas of the village legal advisers (一村一法律顾问)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from justice.domain.adviser_record import AdviserRecord


class AdviserIn(BaseModel):
    """聘任 the village's adviser; ``replace`` to appoint someone else (换聘)."""

    model_config = ConfigDict(extra="forbid")

    village_name: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=100)
    firm: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=40)
    since: date | None = None
    replace: bool = False


class AdviserRead(AdviserRecord):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class AdviserPage(BaseModel):
    items: list[AdviserRead]
    next_cursor: str | None = None
