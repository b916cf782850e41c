"""A writer that dies half-way through a save loses nothing and sends nothing it should not."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.contracts import Envelope
from fengqiao.messaging import EventProducer, OutboxRelay, outgoing
from fengqiao.settings import KafkaSettings
from fengqiao.storage import ConcurrencyError, Repository, repositories_of
from fengqiao.storage import repository as repository_module
from fengqiao.storage.mongo import Document
from support import Report, consume_until, consumer_of, reported, run_crashing


class Died(Exception):
    pass


async def die(*args: object, **kwargs: object) -> None:
    """Stands in for a step during which the writer's process died."""
    raise Died


async def queried(reports: Repository[Report]) -> dict[str, tuple[str, int]]:
    """What a query on the collection (not a read by id) returns: title and version by id."""
    return {
        str(doc["_id"]): (doc["title"], doc["version"]) async for doc in reports.collection.find({})
    }


async def received(kafka: KafkaSettings, topic: str, producer: EventProducer, n: int) -> list[str]:
    ids: list[str] = []

    async def keep(envelope: Envelope) -> None:
        ids.append(envelope.id)

    consumer = consumer_of(kafka, topic, keep, producer)
    await consume_until(consumer, lambda: len(ids) >= n)
    return ids


async def test_a_commit_whose_writer_died_is_rolled_forward_and_sent(
    kafka: KafkaSettings,
    mongo_db: AsyncDatabase[Document],
    topic_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    first = await reports.add(Report(id="R1", title="draft"))
    event = reported("R1")

    with monkeypatch.context() as patch:
        patch.setattr(reports, "materialise", die)
        # Committed, so the save succeeds: a client told otherwise would retry it.
        await reports.save(
            first.model_copy(update={"title": "final"}), [outgoing(topic_name, event)]
        )
    document = await reports.collection.find_one({"_id": "R1"})
    assert document is not None and document["title"] == "draft", "committed, not yet written"
    assert (await reports.get("R1")).title == "final", "yet reads see what was committed"
    with pytest.raises(ConcurrencyError):
        await reports.save(first.model_copy(update={"title": "racing"}))

    monkeypatch.setattr(repository_module, "ROLL_FORWARD_AFTER", timedelta(0))
    async with EventProducer(kafka) as producer:
        assert await OutboxRelay(producer, [reports]).relay_once() == 1
        assert await received(kafka, topic_name, producer, 1) == [event.id]
    rolled = await reports.get("R1")
    assert rolled.title == "final" and rolled.version == 2
    with pytest.raises(ConcurrencyError):
        await reports.save(first.model_copy(update={"title": "stale"}))


async def test_a_creation_whose_writer_died_before_writing_it_is_found(
    mongo_db: AsyncDatabase[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    with monkeypatch.context() as patch:
        patch.setattr(reports, "materialise", die)
        await reports.add(Report(id="R9", title="new"))
    assert await reports.collection.find_one({"_id": "R9"}) is None, "committed, not written"

    found = await reports.find("R9")  # a retry of the creation looks before adding again
    assert found is not None and (found.title, found.version) == ("new", 1)
    with pytest.raises(ConcurrencyError):
        await reports.add(Report(id="R9", title="again"))


async def test_an_announcement_whose_commit_never_came_is_dropped_unsent(
    kafka: KafkaSettings,
    mongo_db: AsyncDatabase[Document],
    topic_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    first = await reports.add(Report(id="R2", title="draft"))

    with monkeypatch.context() as patch:
        patch.setattr(reports.commits, "insert_one", die)
        with pytest.raises(Died):
            await reports.save(
                first.model_copy(update={"title": "x"}), [outgoing(topic_name, reported("R2"))]
            )
    assert await reports.outbox.count_documents({}) == 1

    later = reported("R2")
    saved = await reports.save(
        first.model_copy(update={"title": "y"}), [outgoing(topic_name, later)]
    )
    assert saved.version == 2, "the dead writer's version was never taken"
    async with EventProducer(kafka) as producer:
        relay = OutboxRelay(producer, [reports], orphan_after=timedelta(0))
        published = [await relay.relay_once() for _ in range(3)]
        assert sum(published) == 1
        assert await reports.outbox.count_documents({}) == 0
        assert await received(kafka, topic_name, producer, 1) == [later.id]


async def test_a_writer_stalled_past_the_orphan_check_cannot_commit_after_all(
    kafka: KafkaSettings,
    mongo_db: AsyncDatabase[Document],
    topic_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    first = await reports.add(Report(id="R3", title="draft"))
    insert_commit = reports.commits.insert_one
    async with EventProducer(kafka) as producer:
        relay = OutboxRelay(producer, [reports], orphan_after=timedelta(0))

        stalled = False

        async def stall_then_insert(doc: Document) -> object:
            nonlocal stalled
            if not stalled:  # the writer's own commit: while it stalls, the relay comes by
                stalled = True
                assert await relay.relay_once() == 0
            return await insert_commit(doc)

        monkeypatch.setattr(reports.commits, "insert_one", stall_then_insert)
        with pytest.raises(ConcurrencyError):
            await reports.save(
                first.model_copy(update={"title": "late"}), [outgoing(topic_name, reported("R3"))]
            )
    assert (await reports.get("R3")).title == "draft", "the stalled write did not land"
    assert await reports.outbox.count_documents({}) == 0, "and nothing of it is left to send"
    assert await queried(reports) == {"R3": ("draft", 2)}, "the seal is in the document at once"


async def test_an_unreadable_commit_holds_up_only_its_own_aggregate(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    broken, fine = reported("R4"), reported("R5")
    await reports.add(Report(id="R4", title="t"), [outgoing(topic_name, broken)])
    await reports.add(Report(id="R5", title="t"), [outgoing(topic_name, fine)])
    # As if written by an older release whose envelope lacked a field this one requires.
    await reports.commits.update_one({"_id": "R4:1"}, {"$unset": {"events.0.envelope.time": ""}})
    async with EventProducer(kafka) as producer:
        relay = OutboxRelay(producer, [reports])
        assert await relay.relay_once() == 1
        assert await received(kafka, topic_name, producer, 1) == [fine.id]
    assert await reports.outbox.count_documents({}) == 1, "the unreadable one stays announced"


async def test_saves_without_events_leave_no_announcement_behind(
    mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    first = await reports.add(Report(id="R6", title="draft"))
    second = await reports.save(first.model_copy(update={"title": "final"}))
    with pytest.raises(ConcurrencyError):
        await reports.save(first.model_copy(update={"title": "stale"}))
    assert await reports.outbox.count_documents({}) == 0, "each writer dropped its own"
    assert await queried(reports) == {"R6": ("final", 2)}

    await reports.save(second, [outgoing(topic_name, reported("R6"))])
    assert await reports.outbox.count_documents({}) == 1, "events stay announced for the relay"


async def test_a_change_without_events_whose_writer_was_killed_reaches_queries_by_the_relay(
    kafka: KafkaSettings,
    mongodb_uri: str,
    mongo_db: AsyncDatabase[Document],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    # SIGKILL after inserting R7:2 (title "final", no events), before writing the document.
    await run_crashing(kafka, "writer", mongodb_uri, mongo_db.name, "reports", "R7")
    assert await reports.commit("R7:2") is not None, "the change is committed"
    assert await queried(reports) == {"R7": ("draft", 1)}, "but the document is a version behind"
    assert await reports.outbox.count_documents({}) == 1, "and the commit is announced"

    monkeypatch.setattr(repository_module, "ROLL_FORWARD_AFTER", timedelta(0))
    async with EventProducer(kafka) as producer:
        assert await OutboxRelay(producer, [reports]).relay_once() == 0, "nothing to publish"
    assert await queried(reports) == {"R7": ("final", 2)}, "no read by id was needed"
    assert await reports.outbox.count_documents({}) == 0


async def test_a_creation_without_events_whose_writer_died_is_written_by_the_relay(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    with monkeypatch.context() as patch:
        patch.setattr(reports, "materialise", die)
        await reports.add(Report(id="R8", title="new"))
    assert await queried(reports) == {}, "committed, not written"

    async with EventProducer(kafka) as producer:
        relay = OutboxRelay(producer, [reports])
        assert await relay.relay_once() == 0
        assert await queried(reports) == {}, "a young commit's writer may be on its way: wait"
        assert await reports.outbox.count_documents({}) == 1

        monkeypatch.setattr(repository_module, "ROLL_FORWARD_AFTER", timedelta(0))
        assert await relay.relay_once() == 0
    assert await queried(reports) == {"R8": ("new", 1)}
    assert await reports.outbox.count_documents({}) == 0


async def test_a_creation_that_never_committed_waits_for_its_writer_only_if_it_has_events(
    kafka: KafkaSettings,
    mongo_db: AsyncDatabase[Document],
    topic_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = Repository(mongo_db["reports"], Report)
    with monkeypatch.context() as patch:
        patch.setattr(reports.commits, "insert_one", die)
        with pytest.raises(Died):
            await reports.add(Report(id="R9", title="quiet"))
        with pytest.raises(Died):
            await reports.add(
                Report(id="R10", title="loud"), [outgoing(topic_name, reported("R10"))]
            )
    async with EventProducer(kafka) as producer:
        relay = OutboxRelay(producer, [reports], orphan_after=timedelta(seconds=0.2))
        assert await relay.relay_once() == 0  # first seen
        await asyncio.sleep(0.3)
        assert await relay.relay_once() == 0
    left = [note["aggregate"] async for note in reports.outbox.find({})]
    assert left == ["R10"], "a creation's events could still come: its writer is given time"
    assert await queried(reports) == {}


async def test_a_services_relay_covers_every_repository_it_holds(
    mongo_db: AsyncDatabase[Document],
) -> None:
    class Stores:
        def __init__(self) -> None:
            self.reports = Repository(mongo_db["reports"], Report)
            self.name = "not a repository"
            self.drafts = Repository(mongo_db["drafts"], Report)

    stores = Stores()

    class Station:
        def __init__(self) -> None:
            self.reports = stores.reports

    assert repositories_of(stores, Station()) == [stores.reports, stores.drafts]
