"""Translate the list and stats filters into a store query (features MongoDB and FerretDB share)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fengqiao.contracts.codes import Card, Category, Severity
from intake.domain.case import CaseStatus

LEVELS = ("city", "county", "town", "village", "grid")
_RED = [
    {"card": Card.RED.value},
    *({f"assignments.cards.{c}": Card.RED.value} for c in ("accept", "finish")),
]


def case_filter(
    *,
    status: list[CaseStatus] | None = None,
    category: list[Category] | None = None,
    severity: list[Severity] | None = None,
    area: str | None = None,
    force: str | None = None,
    overdue: bool | None = None,
    registered_from: datetime | None = None,
    registered_to: datetime | None = None,
) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    for field, values in (("status", status), ("category", category), ("severity", severity)):
        if values:
            parts.append({field: {"$in": [v.value for v in values]}})
    if area:
        prefix = {"$regex": "^" + re.escape(area)}
        parts.append({"$or": [{f"location.{level}": prefix} for level in LEVELS]})
    if force:
        parts.append({"assignments.agency": force})
    if overdue is not None:
        parts.append({"$or": _RED} if overdue else {"$nor": _RED})
    period: dict[str, datetime] = {}
    if registered_from is not None:
        period["$gte"] = registered_from
    if registered_to is not None:
        period["$lt"] = registered_to
    if period:
        parts.append({"registered_at": period})
    return {"$and": parts} if parts else {}
