"""`fengqiao audit verify` on the archive a real gateway wrote while routing events over the real
broker, held against its real audit topic: intact as written; a changed field, a removed record,
a removed or rewritten last record and a forged new one are each named by sequence; what could
not be compared is said."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from fengqiao_tools.cli.main import app
from pymongo.asynchronous.database import AsyncDatabase
from typer.testing import CliRunner, Result

from fengqiao.contracts.codes import AgencyKind
from fengqiao.messaging import EventProducer
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.storage.mongo import Document
from fengqiao.testing import until
from gateway.domain.audit import record_hash
from gatewaykit import Exchange, publish, running_gateway
from samples import sample

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@dataclass
class Archive:
    db: AsyncDatabase[Document]
    count: int
    topic: str

    @property
    def compared(self) -> str:
        return f"compared with the audit topic {self.topic}: records 0–{self.count - 1}"


UNSEEN = "records removed from its end, or its last record rewritten, would go unnoticed"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def archive(
    kafka: KafkaSettings, mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory
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
        exchange.configure(monkeypatch, tmp, kafka=kafka, mongo=mongodb_uri)
        async with EventProducer(kafka) as producer, running_gateway() as (_, runtime):
            for n, (sender, event_type, recipient) in enumerate(sends):
                data = sample(event_type, f"c-{n}")
                envelope = exchange.envelope(sender, data, recipient=recipient, subject=f"c-{n}")
                await publish(producer, envelope, sender)
            records = runtime.db["audit"]

            async def all_archived() -> bool:
                return await records.count_documents({}) >= len(sends)

            await until(all_archived, f"{len(sends)} audit records archived", timeout_s=90)
            outcomes = [doc["outcome"] async for doc in records.find({})]
            assert sorted(set(outcomes)) == ["delivered", "rejected"], outcomes
            yield Archive(runtime.db, len(sends), os.environ["FENGQIAO_GATEWAY_AUDIT_TOPIC"])
    clear_secret_cache()


async def verify(*args: str) -> Result:
    # In a thread: the CLI runs an event loop of its own.
    return await asyncio.to_thread(CliRunner().invoke, app, ["audit", "verify", *args])


def lines(result: Result) -> list[str]:
    return result.output.strip().splitlines()


async def test_the_archive_as_written_is_intact(archive: Archive) -> None:
    result = await verify("--database", archive.db.name)
    assert result.exit_code == 0, result.output
    assert lines(result) == [f"{archive.count} records, chain intact", archive.compared]
    # Without options it checks the gateway's own database (FENGQIAO_GATEWAY_DATABASE) against
    # its own topic (FENGQIAO_GATEWAY_AUDIT_TOPIC).
    assert lines(await verify()) == [f"{archive.count} records, chain intact", archive.compared]


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
    assert lines(result) == [
        f"record {sequence} altered: its content does not match its hash",
        archive.compared,
    ]
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
    assert lines(result)[0] == f"record {sequence} missing: records {sequence} are not in the log"
    assert (await verify("--database", archive.db.name)).exit_code == 0  # restored


async def test_an_empty_database_is_said_to_hold_no_records(archive: Archive) -> None:
    name = f"{archive.db.name}_none"
    result = await verify("--database", name, "--archive-only")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        f"0 records: database {name} holds no audit records",
        f"not compared with the audit topic (--archive-only): {UNSEEN}",
    ]
    # Held against the topic, an empty archive lacks everything the exchange logged.
    result = await verify("--database", name, "--wait", "0")
    assert result.exit_code == 1, result.output
    last = archive.count - 1
    assert lines(result) == [
        f"record 0 missing: records 0–{last} are in the audit topic, not in the archive",
        archive.compared,
    ]


async def test_the_last_record_rewritten_with_its_hash_is_named(archive: Archive) -> None:
    records = archive.db["audit"]
    last = archive.count - 1
    original = await records.find_one({"_id": last})
    assert original is not None
    forged = {**original, "recipient": "police-forged"}
    forged["hash"] = record_hash(forged)  # a forger who knows the hash function
    await records.replace_one({"_id": last}, forged)
    try:
        result = await verify("--database", archive.db.name)
        alone = await verify("--database", archive.db.name, "--archive-only")
    finally:
        await records.replace_one({"_id": last}, original)
    assert result.exit_code == 1, result.output
    assert lines(result) == [
        f"record {last} altered: differs from the audit topic in hash, recipient",
        archive.compared,
    ]
    # The archive alone cannot show it, and says so.
    assert alone.exit_code == 0, alone.output
    assert lines(alone)[1] == f"not compared with the audit topic (--archive-only): {UNSEEN}"
    assert (await verify("--database", archive.db.name)).exit_code == 0  # restored


async def test_the_last_record_deleted_is_named_missing(archive: Archive) -> None:
    records = archive.db["audit"]
    last = archive.count - 1
    original = await records.find_one({"_id": last})
    assert original is not None
    await records.delete_one({"_id": last})
    try:
        result = await verify("--database", archive.db.name)  # waits --wait 10 s for the archiver
        lagging = await verify("--database", archive.db.name, "--allow-lag", "1")
    finally:
        await records.insert_one(original)
    assert result.exit_code == 1, result.output
    assert lines(result) == [
        f"record {last} missing: records {last} are in the audit topic, not in the archive",
        archive.compared,
    ]
    assert lagging.exit_code == 0, lagging.output
    assert lines(lagging) == [
        f"{last} records, chain intact",
        f"{archive.compared}; 1 newest not archived yet (allowed by --allow-lag 1)",
    ]
    assert (await verify("--database", archive.db.name)).exit_code == 0  # restored


async def test_the_newest_records_are_waited_for(archive: Archive) -> None:
    records = archive.db["audit"]
    last = archive.count - 1
    original = await records.find_one({"_id": last})
    assert original is not None
    await records.delete_one({"_id": last})
    try:
        running = asyncio.create_task(verify("--database", archive.db.name, "--wait", "60"))
        await asyncio.sleep(2)  # it reads the archive at once and then waits for the newest
        assert not running.done(), running.result().output
    finally:
        await records.insert_one(original)  # what a lagging archiver does
    result = await running
    assert result.exit_code == 0, result.output
    assert lines(result) == [f"{archive.count} records, chain intact", archive.compared]


async def test_a_record_added_after_the_topics_end_is_named(archive: Archive) -> None:
    records = archive.db["audit"]
    last = await records.find_one({"_id": archive.count - 1})
    assert last is not None
    added = {**last, "_id": archive.count, "sequence": archive.count, "prev_hash": last["hash"]}
    added["hash"] = record_hash(added)
    await records.insert_one(added)
    try:
        result = await verify("--database", archive.db.name)
    finally:
        await records.delete_one({"_id": archive.count})
    assert result.exit_code == 1, result.output
    end = archive.count - 1
    assert lines(result)[0] == f"record {archive.count} added: the audit topic ends at record {end}"


async def test_without_a_broker_the_archive_is_verified_and_the_gap_said(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")
    result = await verify("--database", archive.db.name)
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        f"{archive.count} records, chain intact",
        f"not compared with the audit topic {archive.topic} (no broker answers at "
        f"KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1): {UNSEEN}",
    ]


async def test_a_topic_the_broker_lacks_is_said(archive: Archive) -> None:
    topic = f"{archive.topic}.absent"
    result = await verify("--database", archive.db.name, "--topic", topic)
    assert result.exit_code == 0, result.output
    assert lines(result)[1] == (
        f"not compared with the audit topic {topic} (the broker has no topic {topic}): {UNSEEN}"
    )
