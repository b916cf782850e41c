"""Where the station keeps its incidents and its units, and the queries its inbox needs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypeVar

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage import IndexSpec, Repository
from fengqiao.storage.mongo import Document
from police.domain.incident import Incident
from police.domain.units import Unit

A = TypeVar("A", Incident, Unit)

INCIDENTS = "incidents"
UNITS = "units"
INDEXES = [
    IndexSpec(INCIDENTS, (("received_at", -1),)),
    IndexSpec(INCIDENTS, (("status", 1),)),
]


def incident_repository(db: AsyncDatabase[Document]) -> Repository[Incident]:
    return Repository(db[INCIDENTS], Incident)


def unit_repository(db: AsyncDatabase[Document]) -> Repository[Unit]:
    return Repository(db[UNITS], Unit)


async def all_of(
    repository: Repository[A], where: dict[str, Any] | None = None
) -> AsyncIterator[A]:
    async for doc in repository.collection.find(where or {}):
        yield repository.from_doc(doc)
