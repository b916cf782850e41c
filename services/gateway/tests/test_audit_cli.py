"""`fengqiao audit verify` on the archive a real gateway wrote while routing events over the real
broker: intact as written; a changed field and a removed record are each named by sequence."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
import pytest_asyncio
from pymongo.asynchronous.database import AsyncDatabase
from typer.testing import CliRunner, Result

from fengqiao.cli.main import app
from fengqiao.contracts.codes import AgencyKind
from fengqiao.messaging import EventProducer
from fengqiao.security import clear_secret_cache
from fengqiao.storage.mongo import Document
from gatewaykit import Exchange, publish, running_gateway
from samples import sample

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@dataclass
class Archive:
    db: AsyncDatabase[Document]
    count: int


async def until(check: Callable[[], Awaitable[bool]], what: str, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(what)


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def archive(
    kafka_bootstrap: str, mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Archive]:
    """A gateway that routed allowed and forbidden events, its chain fully archived."""
    exchange = Exchange()
    hub, grid, court = (
        exchange.of_kind(k).id for k in (AgencyKind.HUB, AgencyKind.GRID, AgencyKind.COURT)
    )
    allowed = [(hub, "case.transferred.v1", court), (grid, "case.feedback.v1", hub)]
    forbidden = [(grid, "case.transferred.v1", court)]
    sends = (allowed + forbidden) * 3
    with pytest.MonkeyPatch.context() as monkeypatch:
        tmp = tmp_path_factory.mktemp("audit-cli")
        exchange.configure(monkeypatch, tmp, kafka=kafka_bootstrap, mongo=mongodb_uri)
        async with EventProducer(kafka_bootstrap) as producer, running_gateway() as (_, runtime):
            for n, (sender, event_type, recipient) in enumerate(sends):
                data = sample(event_type, f"c-{n}")
                envelope = exchange.envelope(sender, data, recipient=recipient, subject=f"c-{n}")
                await publish(producer, envelope, sender)
            records = runtime.db["audit"]

            async def all_archived() -> bool:
                return await records.count_documents({}) >= len(sends)

            await until(all_archived, f"{len(sends)} audit records archived")
            outcomes = [doc["outcome"] async for doc in records.find({})]
            assert sorted(set(outcomes)) == ["delivered", "rejected"], outcomes
            yield Archive(runtime.db, len(sends))
    clear_secret_cache()


async def verify(*args: str) -> Result:
    # In a thread: the CLI runs an event loop of its own.
    return await asyncio.to_thread(CliRunner().invoke, app, ["audit", "verify", *args])


async def test_the_archive_as_written_is_intact(archive: Archive) -> None:
    result = await verify("--database", archive.db.name)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{archive.count} records, chain intact"
    # Without --database it checks the gateway's own database (FENGQIAO_GATEWAY_DATABASE).
    assert (await verify()).output.strip() == f"{archive.count} records, chain intact"


async def test_a_changed_field_names_the_record_altered(archive: Archive) -> None:
    records = archive.db["audit"]
    original = await records.find_one({"outcome": "rejected"}, sort=[("_id", -1)])
    assert original is not None
    sequence = original["_id"]
    await records.update_one({"_id": sequence}, {"$set": {"outcome": "delivered"}})
    try:
        result = await verify("--database", archive.db.name)
    finally:
        await records.replace_one({"_id": sequence}, original)
    assert result.exit_code == 1, result.output
    assert (
        result.output.strip() == f"record {sequence} altered: its content does not match its hash"
    )
    assert (await verify("--database", archive.db.name)).exit_code == 0  # restored


async def test_a_removed_record_is_named_missing(archive: Archive) -> None:
    records = archive.db["audit"]
    sequence = archive.count // 2
    original = await records.find_one({"_id": sequence})
    assert original is not None
    await records.delete_one({"_id": sequence})
    try:
        result = await verify("--database", archive.db.name)
    finally:
        await records.insert_one(original)
    assert result.exit_code == 1, result.output
    assert (
        result.output.strip() == f"record {sequence} missing: records {sequence} are not in the log"
    )
    assert (await verify("--database", archive.db.name)).exit_code == 0  # restored


async def test_an_empty_database_is_said_to_hold_no_records(archive: Archive) -> None:
    name = f"{archive.db.name}_none"
    result = await verify("--database", name)
    assert result.exit_code == 0, result.output
    assert f"0 records: database {name} holds no audit records" in result.output
