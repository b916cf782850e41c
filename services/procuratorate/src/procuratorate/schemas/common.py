"""What the procuratorate's bodies and reads share: the strict body, a reason, a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.aggregate import Aggregate
from fengqiao.storage import Page

T = TypeVar("T", bound=BaseModel)
A = TypeVar("A", bound=Aggregate)
Text = Field(min_length=1, max_length=5000)


# Every request body refuses fields it does not know.
class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReasonIn(Body):
    reason: str = Field(min_length=1, max_length=2000)


class PageOf(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="pass back as `cursor` for the next page")


def page_of(page: Page[A], read: Callable[[A], T]) -> PageOf[T]:
    return PageOf[T](items=[read(item) for item in page.items], next_cursor=page.next_cursor)
