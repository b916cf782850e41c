"""Bodies of the steps several of the court's matters share (a return, a note, a reason), and the
clocks of an order the court answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from court.domain.returns import ReturnReason
from fengqiao.contracts.codes import Clock


# Every request body refuses fields it does not know.
class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReturnIn(Body):
    reason: ReturnReason
    detail: str | None = Field(default=None, max_length=2000, description="default: the reason")


class NoteIn(Body):
    note: str = Field(min_length=1, max_length=5000)


class ReasonIn(Body):
    reason: str = Field(min_length=1, max_length=2000)


class Clocks(BaseModel):
    """The clocks of an order the court answers: the sender's, and the court's own limit."""

    accept_by: datetime
    order_due_at: datetime = Field(description="the sender's deadline for the whole order")
    due_at: datetime | None = Field(description="the court's own time limit, from acceptance")
    late: list[Clock] = Field(description="clocks that have run out")
    overdue: bool = Field(description="超期: still open after the court's time limit")
