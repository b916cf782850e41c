"""Where the court keeps its matters: pre-litigation mediations, judicial confirmations, judicial
suggestions, the mediator roster, orders it gave back, and its case-number counters. Parties'
personal data is sealed at rest by the repository."""

from __future__ import annotations

from typing import Any, TypeVar

from pymongo.asynchronous.database import AsyncDatabase

from court.domain.confirmation import JudicialConfirmation
from court.domain.mediators import Mediator
from court.domain.prelitigation import OPEN, PreLitigationMediation
from court.domain.suggestion import JudicialSuggestion
from fengqiao.aggregate import Aggregate
from fengqiao.messaging.refusals import RefusedOrder
from fengqiao.storage import IndexSpec, Page, Repository, Sequence, newest_first, party_seal
from fengqiao.storage.mongo import Document

A = TypeVar("A", bound=Aggregate)

MEDIATIONS = "mediations"
CONFIRMATIONS = "confirmations"
SUGGESTIONS = "suggestions"
MEDIATORS = "mediators"
REFUSALS = "refused_transfers"
COUNTERS = "counters"
INDEXES = [
    *(
        IndexSpec(name, ((field, order),))
        for name in (MEDIATIONS, CONFIRMATIONS, SUGGESTIONS)
        for field, order in (("received_at", -1), ("status", 1), ("category", 1))
    ),
    IndexSpec(MEDIATIONS, (("mediator_id", 1),)),
    IndexSpec(MEDIATIONS, (("order.case_id", 1),)),
    IndexSpec(CONFIRMATIONS, (("order.case_id", 1),)),
    IndexSpec(SUGGESTIONS, (("department", 1),)),
    IndexSpec(COUNTERS, (("holder", 1),)),
]


class Stores:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.mediations = Repository(
            db[MEDIATIONS], PreLitigationMediation, seal=party_seal("court")
        )
        self.confirmations = Repository(
            db[CONFIRMATIONS], JudicialConfirmation, seal=party_seal("court")
        )
        self.suggestions = Repository(db[SUGGESTIONS], JudicialSuggestion)
        self.mediators = Repository(db[MEDIATORS], Mediator)
        self.refusals = Repository(db[REFUSALS], RefusedOrder)
        self.counters = Sequence(db[COUNTERS])  # 案号: one series per case kind and year

    async def roster(self) -> list[Mediator]:
        """调解员名册 with each mediator's load counted from the mediations open now: the
        domain adds to a load but never releases it, so the store is the one truth."""
        load: dict[str, int] = {}
        where = {"status": {"$in": [s.value for s in OPEN]}}
        async for doc in self.mediations.collection.find(where, {"mediator_id": 1}):
            if doc.get("mediator_id"):
                load[doc["mediator_id"]] = load.get(doc["mediator_id"], 0) + 1
        mediators = await all_of(self.mediators)
        return sorted(
            (m.model_copy(update={"open_cases": load.get(m.id, 0)}) for m in mediators),
            key=lambda m: m.id,
        )


async def page_of(
    repository: Repository[A], where: Document, *, after: str | None, limit: int
) -> Page[A]:
    """A page of a list, newest received first."""
    return await newest_first(repository, where, by="received_at", after=after, limit=limit)


async def all_of(repository: Repository[A], where: dict[str, Any] | None = None) -> list[A]:
    return [repository.from_doc(doc) async for doc in repository.collection.find(where or {})]
