"""The view of a judicial confirmation (司法确认) with its clocks. Parties are shown whole only to
the confirmation's judge; everyone else sees them masked."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from court.domain.confirmation import JudicialConfirmation
from court.schemas.common import Clocks
from fengqiao.storage import masked_party


class ConfirmationRead(JudicialConfirmation):
    inbox: list[str] = Field(default_factory=list, exclude=True)
    clocks: Clocks


class ConfirmationPage(BaseModel):
    items: list[ConfirmationRead]
    next_cursor: str | None


def confirmation_read(
    request: JudicialConfirmation, now: datetime, *, viewer: str
) -> ConfirmationRead:
    order = request.order
    clocks = Clocks(
        accept_by=order.accept_by,
        order_due_at=order.due_at,
        due_at=request.decision_due_at,
        late=request.late_clocks(now),
        overdue=request.overdue(now),
    )
    whole = viewer == request.judge_id
    parties = request.parties if whole else [masked_party(p) for p in request.parties]
    return ConfirmationRead.model_validate(
        {**request.model_dump(), "parties": parties, "clocks": clocks}
    )
