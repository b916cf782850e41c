"""Where the station keeps its incidents and its units, and the queries its inbox needs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.contracts.codes import Category, CodeList
from fengqiao.storage import IndexSpec, Page, Repository, newest_first
from fengqiao.storage.mongo import Document
from police.domain.incident import Incident, IncidentStatus, Source
from police.domain.response import Priority, ResponseLevel
from police.domain.units import Unit

A = TypeVar("A", Incident, Unit)

INCIDENTS = "incidents"
UNITS = "units"
INDEXES = [
    IndexSpec(INCIDENTS, (("received_at", -1),)),
    IndexSpec(INCIDENTS, (("status", 1),)),
]
FINISHED = (IncidentStatus.CLOSED, IncidentStatus.RETURNED)


def incident_repository(db: AsyncDatabase[Document]) -> Repository[Incident]:
    return Repository(db[INCIDENTS], Incident)


def unit_repository(db: AsyncDatabase[Document]) -> Repository[Unit]:
    return Repository(db[UNITS], Unit)


async def all_of(
    repository: Repository[A], where: dict[str, Any] | None = None
) -> AsyncIterator[A]:
    async for doc in repository.collection.find(where or {}):
        yield repository.from_doc(doc)


def inbox_filter(
    *,
    status: Sequence[IncidentStatus] | None,
    priority: Sequence[Priority] | None,
    level: Sequence[ResponseLevel] | None,
    source: Sequence[Source] | None,
    category: Sequence[Category] | None,
    open_only: bool,
    received_from: datetime | None,
    received_to: datetime | None,
) -> dict[str, Any]:
    """The incidents with one of the codes asked for in each field (none asked: any), not
    finished when ``open_only``, received in [``received_from``, ``received_to``)."""
    where: dict[str, Any] = {}
    codes: tuple[tuple[str, Sequence[CodeList] | None], ...] = (
        ("status", status),
        ("priority", priority),
        ("level", level),
        ("source", source),
        ("category", category),
    )
    for name, values in codes:
        if values:
            where[name] = {"$in": [v.value for v in values]}
    if open_only:
        where.setdefault("status", {})["$nin"] = [S.value for S in FINISHED]
    period = {
        op: at for op, at in (("$gte", received_from), ("$lt", received_to)) if at is not None
    }
    if period:
        where["received_at"] = period
    return where


async def newest_incidents(
    incidents: Repository[Incident], where: dict[str, Any], *, after: str | None, limit: int
) -> Page[Incident]:
    """A page of the inbox, newest received first."""
    return await newest_first(incidents, where, by="received_at", after=after, limit=limit)
