"""Where the grid keeps its tasks, patrol reports and refused transfers: the shared repository."""

from __future__ import annotations

from pydantic import Field
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.messaging.refusals import RefusedOrder
from fengqiao.storage import IndexSpec, Page, Repository, newest_first, party_seal
from fengqiao.storage.mongo import Document
from grid.domain.patrol import PatrolReport
from grid.domain.task import HubTask

TASKS = "tasks"
REPORTS = "reports"
REFUSALS = "refused_transfers"
INDEXES = [
    IndexSpec(TASKS, (("assignee", 1),)),
    IndexSpec(TASKS, (("status", 1),)),
    IndexSpec(REPORTS, (("reported_at", 1),)),
]


class StoredTask(HubTask):
    """A hub task and the agency that sent it: its answers go back there (hub or police)."""

    sender: str = Field(description="agency id the transfer came from")


class Stores:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.tasks = Repository(db[TASKS], StoredTask, seal=party_seal("grid"))
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
