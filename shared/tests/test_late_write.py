"""A writer whose document write lands late, after another writer built on its commit and wrote
a newer version, does not leave the document a version behind."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage import Repository
from fengqiao.storage.mongo import Document
from fengqiao.testing import until
from support import Report


async def test_a_late_write_does_not_overwrite_a_newer_version(
    mongo_db: AsyncDatabase[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = Repository(mongo_db["reports"], Report)  # one process…
    other = Repository(mongo_db["reports"], Report)  # …and another
    first = await slow.add(Report(id="R1", title="draft"))

    go = asyncio.Event()
    write = slow.materialise

    async def late(commit: Document, **kwargs: Any) -> None:
        await go.wait()
        await write(commit, **kwargs)

    monkeypatch.setattr(slow, "materialise", late)
    late_save = asyncio.create_task(slow.save(first.model_copy(update={"title": "reviewed"})))
    await until(lambda: slow.commit("R1:2"), "the slow writer's commit")

    behind = await mongo_db["reports"].find_one({"_id": "R1"})
    assert behind is not None and behind["version"] == 1, "its document is a version behind"
    current = await other.get("R1")  # a read sees the commit all the same
    assert (current.title, current.version) == ("reviewed", 2)
    await other.save(current.model_copy(update={"title": "final"}))

    go.set()  # the slow write lands now, over version 3
    await late_save
    document = await mongo_db["reports"].find_one({"_id": "R1"})
    assert document is not None and (document["title"], document["version"]) == ("final", 3)
