"""Where the grid keeps its tasks, patrol reports and refused transfers: the shared repository,
and the queries the inbox and the scores need."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.messaging.refusals import RefusedOrder
from fengqiao.storage import IndexSpec, Page, Repository, newest_first, party_seal
from fengqiao.storage.mongo import Document
from grid.domain.patrol import PatrolReport
from grid.domain.task import OPEN, StoredTask, TaskStatus

TASKS = "tasks"
REPORTS = "reports"
REFUSALS = "refused_transfers"
INDEXES = [
    IndexSpec(TASKS, (("assignee", 1),)),
    IndexSpec(TASKS, (("status", 1),)),
    IndexSpec(REPORTS, (("reported_at", 1),)),
]


_OPEN = frozenset(str(s.value) for s in OPEN)


def _open_since(task: Document) -> datetime | None:
    return task.get("assigned_at") if str(task.get("status")) in _OPEN else None


class Stores:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        # Every open task is on the task clock's agenda, from its assignment on.
        self.tasks = Repository(db[TASKS], StoredTask, seal=party_seal("grid"), agenda=_open_since)
        self.reports = Repository(db[REPORTS], PatrolReport)
        self.refusals = Repository(db[REFUSALS], RefusedOrder)

    async def tasks_where(
        self, where: Document, *, after: str | None, limit: int
    ) -> Page[StoredTask]:
        """A page of the inbox, newest assignment first."""
        return await newest_first(self.tasks, where, by="assigned_at", after=after, limit=limit)

    async def all_tasks(self, where: Document | None = None) -> list[StoredTask]:
        return [self.tasks.from_doc(doc) async for doc in self.tasks.collection.find(where or {})]

    async def all_reports(self) -> list[PatrolReport]:
        return [self.reports.from_doc(doc) async for doc in self.reports.collection.find({})]


def inbox_filter(
    *, worker: str, headed: list[str], status: list[TaskStatus] | None, grid: str | None
) -> Document:
    """The tasks ``worker`` holds and every task of the grids they head, narrowed to ``status``
    and to one ``grid`` when given."""
    mine: Document = {"$or": [{"assignee": worker}, {"grid": {"$in": headed}}]}
    where: list[Document] = [mine]
    if status:
        where.append({"status": {"$in": [s.value for s in status]}})
    if grid is not None:
        where.append({"grid": grid})
    return {"$and": where}
