"""A repository's agenda: a timer's pass reads only the aggregates whose time has come, however
many others the collection holds, and never misses a committed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.aggregate import Aggregate
from fengqiao.storage import Repository
from fengqiao.storage import repository as repository_module
from fengqiao.storage.mongo import Document

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


class Clock(Aggregate):
    """An aggregate with a next check, like a case under supervision."""

    next_check_at: datetime | None = None


def clocks(db: AsyncDatabase[Document]) -> Repository[Clock]:
    return Repository(db["clocks"], Clock, agenda=lambda state: state.get("next_check_at"))


async def timed(db: AsyncDatabase[Document]) -> int:
    """Entries with a time (the agenda also keeps a mark that it was built)."""
    return await db["clocks_agenda"].count_documents({"at": {"$exists": True}})


async def test_only_what_is_due_is_read_and_a_settled_one_leaves_the_agenda(
    mongo_db: AsyncDatabase[Document],
) -> None:
    repo = clocks(mongo_db)
    due = await repo.add(Clock(id="due", next_check_at=NOW - timedelta(minutes=1)))
    await repo.add(Clock(id="later", next_check_at=NOW + timedelta(hours=1)))
    for n in range(20):  # settled ones: not on the agenda at all
        await repo.add(Clock(id=f"closed-{n}"))
    assert await repo.due(NOW) == ["due"]
    assert await timed(mongo_db) == 2

    await repo.save(due.model_copy(update={"next_check_at": None}))
    assert await repo.due(NOW) == []
    assert await timed(mongo_db) == 1
    assert await repo.due(NOW + timedelta(hours=2)) == ["later"]


async def test_a_stale_entry_is_corrected_from_the_document(
    mongo_db: AsyncDatabase[Document],
) -> None:
    repo = clocks(mongo_db)
    await repo.add(Clock(id="moved", next_check_at=NOW + timedelta(hours=3)))
    # An entry left behind by a writer that died between the entry and the document.
    await mongo_db["clocks_agenda"].update_one(
        {"_id": "moved"}, {"$set": {"at": NOW - timedelta(hours=1)}}
    )
    await mongo_db["clocks_agenda"].insert_one({"_id": "gone", "at": NOW, "version": 1})
    assert await repo.due(NOW) == []
    left = {
        d["_id"]: d["at"] async for d in mongo_db["clocks_agenda"].find({"at": {"$exists": True}})
    }
    assert left == {"moved": NOW + timedelta(hours=3)}


async def test_a_commit_rolled_forward_keeps_its_time(
    mongo_db: AsyncDatabase[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = clocks(mongo_db)
    first = await repo.add(Clock(id="c1"))

    async def died(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the writer died before writing")

    with monkeypatch.context() as patch:
        patch.setattr(repo, "materialise", died)
        patch.setattr(repo.agenda, "note", died)
        await repo.save(first.model_copy(update={"next_check_at": NOW}))
    assert await repo.due(NOW) == [], "neither the entry nor the document was written"

    monkeypatch.setattr(repository_module, "ROLL_FORWARD_AFTER", timedelta(0))
    other_process = clocks(mongo_db)  # a relay or a reader elsewhere rolls it forward
    await other_process.roll_forward("c1")
    assert await other_process.due(NOW) == ["c1"]


async def test_a_collection_written_before_its_agenda_is_put_on_it_once(
    mongo_db: AsyncDatabase[Document],
) -> None:
    before = Repository(mongo_db["clocks"], Clock)  # an older release: no agenda
    await before.add(Clock(id="open", next_check_at=NOW))
    await before.add(Clock(id="settled"))
    assert await clocks(mongo_db).due(NOW) == ["open"]
    await mongo_db["clocks"].delete_one({"_id": "open"})  # not read again: built once
    assert await mongo_db["clocks_agenda"].count_documents({"_id": "open"}) == 1
    assert await clocks(mongo_db).due(NOW) == []
