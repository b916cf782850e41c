"""A writer that dies half-way through a save loses nothing and sends nothing it should not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.contracts import Envelope
from fengqiao.messaging import EventProducer, OutboxRelay, outgoing
from fengqiao.settings import KafkaSettings
from fengqiao.storage import ConcurrencyError, Repository
from fengqiao.storage import repository as repository_module
from fengqiao.storage.mongo import Document
from support import Report, consume_until, consumer_of, reported


class Died(Exception):
    pass


async def die(*args: object, **kwargs: object) -> None:
    """Stands in for a step during which the writer's process died."""
    raise Died


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
