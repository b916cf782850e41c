"""The filters of the court's lists: each filter given narrows the list; none gives everything.
"Overdue" is an open matter past its time limit at ``now``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from court.domain import confirmation, prelitigation, suggestion
from court.domain.confirmation import ConfirmationStatus
from court.domain.prelitigation import MediationStatus
from court.domain.suggestion import SuggestionStatus
from fengqiao.contracts.codes import Category, CodeList
from fengqiao.storage.mongo import Document


def where(
    *,
    status: Sequence[CodeList] | None,
    category: Sequence[Category] | None,
    since: datetime | None,
    until: datetime | None,
    extra: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The query of a list: each filter given narrows it; none gives everything."""
    clauses: list[dict[str, Any]] = list(extra)
    if status:
        clauses.append({"status": {"$in": [s.value for s in status]}})
    if category:
        clauses.append({"category": {"$in": [c.value for c in category]}})
    if since is not None:
        clauses.append({"received_at": {"$gte": since}})
    if until is not None:
        clauses.append({"received_at": {"$lt": until}})
    return {"$and": clauses} if clauses else {}


def mediations_where(
    *,
    status: Sequence[MediationStatus] | None,
    category: Sequence[Category] | None,
    since: datetime | None,
    until: datetime | None,
    mediator: str | None,
    overdue: bool,
    now: datetime,
) -> Document:
    extra: list[dict[str, Any]] = [{"mediator_id": mediator}] if mediator else []
    if overdue:
        still_open = [s.value for s in prelitigation.OPEN]
        extra.append({"status": {"$in": still_open}, "due_at": {"$lt": now}})
    return where(status=status, category=category, since=since, until=until, extra=extra)


def confirmations_where(
    *,
    status: Sequence[ConfirmationStatus] | None,
    category: Sequence[Category] | None,
    since: datetime | None,
    until: datetime | None,
    overdue: bool,
    now: datetime,
) -> Document:
    extra: list[dict[str, Any]] = []
    if overdue:
        still_open = [s.value for s in confirmation.OPEN]
        extra.append({"status": {"$in": still_open}, "decision_due_at": {"$lt": now}})
    return where(status=status, category=category, since=since, until=until, extra=extra)


def suggestions_where(
    *,
    status: Sequence[SuggestionStatus] | None,
    category: Sequence[Category] | None,
    department: str | None,
    since: datetime | None,
    until: datetime | None,
    overdue: bool,
    now: datetime,
) -> Document:
    extra: list[dict[str, Any]] = [{"department": department}] if department else []
    if overdue:
        still_open = [s.value for s in suggestion.OPEN]
        extra.append({"status": {"$in": still_open}, "reply_due": {"$lt": now}})
    return where(status=status, category=category, since=since, until=until, extra=extra)
