"""The lists the API pages through, newest first: the filters a request names, as store queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from fengqiao.contracts.codes import Category
from fengqiao.storage import Page, newest_first
from justice.adapters.store import Stores
from justice.domain.adviser_record import AdviserRecord
from justice.domain.clocks import overdue_query
from justice.domain.fields import CommitteeField
from justice.domain.legal_aid import LegalAidApplication, LegalAidStatus
from justice.domain.mediation import Mediation, MediationStatus, Source


async def mediation_inbox(
    stores: Stores,
    *,
    now: datetime,
    status: Sequence[MediationStatus] | None = None,
    category: Sequence[Category] | None = None,
    field: Sequence[CommitteeField] | None = None,
    source: Sequence[Source] | None = None,
    committee: str | None = None,
    mediator: str | None = None,
    overdue: bool | None = None,
    received_from: datetime | None = None,
    received_to: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Mediation]:
    """收案登记: mediations newest received first; ``overdue`` by the hub's clocks at ``now``."""
    where: list[dict[str, Any]] = []
    for name, values in (
        ("status", status),
        ("category", category),
        ("field", field),
        ("source", source),
    ):
        if values:
            where.append({name: {"$in": [v.value for v in values]}})
    if committee:
        where.append({"choice.committee_id": committee})
    if mediator:
        where.append({"choice.mediator_id": mediator})
    if overdue is not None:
        late = overdue_query(now)
        where.append(late if overdue else {"$nor": [late]})
    if received_from is not None:
        where.append({"received_at": {"$gte": received_from}})
    if received_to is not None:
        where.append({"received_at": {"$lt": received_to}})
    return await newest_first(
        stores.mediations,
        {"$and": where} if where else {},
        by="received_at",
        after=cursor,
        limit=limit,
    )


async def aid_applications(
    stores: Stores,
    *,
    status: Sequence[LegalAidStatus] | None = None,
    category: Sequence[Category] | None = None,
    submitted_from: datetime | None = None,
    submitted_to: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[LegalAidApplication]:
    """Legal-aid applications, newest submitted first."""
    where: list[dict[str, Any]] = []
    if status:
        where.append({"status": {"$in": [s.value for s in status]}})
    if category:
        where.append({"category": {"$in": [c.value for c in category]}})
    if submitted_from is not None:
        where.append({"submitted_at": {"$gte": submitted_from}})
    if submitted_to is not None:
        where.append({"submitted_at": {"$lt": submitted_to}})
    return await newest_first(
        stores.legal_aid,
        {"$and": where} if where else {},
        by="submitted_at",
        after=cursor,
        limit=limit,
    )


async def advisers_appointed(
    stores: Stores, *, cursor: str | None = None, limit: int = 50
) -> Page[AdviserRecord]:
    """村(居)法律顾问, the most recently appointed first."""
    return await newest_first(stores.advisers, {}, by="registered_at", after=cursor, limit=limit)
