"""The lists the procuratorate's staff read: each a page of one store, newest first, narrowed by
the filters the API passes (none given: everything)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from fengqiao.contracts.codes import Category, CodeList
from fengqiao.storage import Page, newest_first
from procuratorate.adapters.store import Stores
from procuratorate.domain.dispute_report import DisputeReport
from procuratorate.domain.hearing import Hearing, HearingStatus
from procuratorate.domain.judicial_aid import AidApplication, AidStatus, Relation
from procuratorate.domain.suggestion import Suggestion, SuggestionStatus
from procuratorate.domain.supervision import SupervisionCase, SupervisionField, SupervisionStatus

ISSUED = SuggestionStatus.ISSUED.value


def any_of(**filters: Sequence[CodeList] | None) -> dict[str, Any]:
    """``{field: {"$in": [...]}}`` for each filter given."""
    return {name: {"$in": [v.value for v in values]} for name, values in filters.items() if values}


def period(field: str, start: datetime | None, end: datetime | None) -> dict[str, Any]:
    """A time window on ``field``: from inclusive, to exclusive."""
    bounds = {op: at for op, at in (("$gte", start), ("$lt", end)) if at is not None}
    return {field: bounds} if bounds else {}


def equal(**values: str | None) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


async def case_page(
    stores: Stores,
    *,
    status: Sequence[SupervisionStatus] | None,
    field: Sequence[SupervisionField] | None,
    category: Sequence[Category] | None,
    start: datetime | None,
    end: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[SupervisionCase]:
    where = {
        **any_of(status=status, field=field, category=category),
        **period("received_at", start, end),
    }
    return await newest_first(stores.cases, where, by="received_at", after=cursor, limit=limit)


async def suggestion_page(
    stores: Stores,
    *,
    now: datetime,
    status: Sequence[SuggestionStatus] | None,
    category: Sequence[Category] | None,
    department: str | None,
    case_id: str | None,
    overdue: bool | None,
    start: datetime | None,
    end: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[Suggestion]:
    """``overdue``: awaiting the reply past its deadline at ``now`` (True), or not (False)."""
    clauses: list[dict[str, Any]] = [
        any_of(status=status, category=category),
        equal(department=department, case_id=case_id),
        period("issued_at", start, end),
    ]
    if overdue is True:
        clauses.append({"status": ISSUED, "reply_due_at": {"$lte": now}})
    elif overdue is False:
        clauses.append({"$or": [{"status": {"$ne": ISSUED}}, {"reply_due_at": {"$gt": now}}]})
    where = {"$and": [c for c in clauses if c]} if any(clauses) else {}
    return await newest_first(stores.suggestions, where, by="issued_at", after=cursor, limit=limit)


async def hearing_page(
    stores: Stores,
    *,
    status: Sequence[HearingStatus] | None,
    case_id: str | None,
    start: datetime | None,
    end: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[Hearing]:
    where = {
        **any_of(status=status),
        **equal(case_id=case_id),
        **period("scheduled_at", start, end),
    }
    return await newest_first(stores.hearings, where, by="scheduled_at", after=cursor, limit=limit)


async def aid_page(
    stores: Stores,
    *,
    status: Sequence[AidStatus] | None,
    relation: Sequence[Relation] | None,
    case_id: str | None,
    start: datetime | None,
    end: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[AidApplication]:
    where = {
        **any_of(status=status, relation=relation),
        **equal(case_id=case_id),
        **period("submitted_at", start, end),
    }
    return await newest_first(stores.aid, where, by="submitted_at", after=cursor, limit=limit)


async def report_page(
    stores: Stores,
    *,
    category: Sequence[Category] | None,
    start: datetime | None,
    end: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[DisputeReport]:
    where = {**any_of(category=category), **period("sent_at", start, end)}
    return await newest_first(stores.reports, where, by="sent_at", after=cursor, limit=limit)
