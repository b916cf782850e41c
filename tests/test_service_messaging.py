"""A service's wiring: its consumer applies events from xchg.in.<agency> once, its outbox relay
publishes what the handler committed to xchg.out.<agency>, and an event type it does not
handle goes to the DLQ with the reason. Real Kafka, real store, the real app lifespan."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import CaseAccepted, CaseClosed
from fengqiao.messaging import EventConsumer, EventProducer, OutboxMessage, apply_once, outgoing
from fengqiao.messaging.dlq import DeadLetter, read_dead_letters
from fengqiao.messaging.pump import Wiring
from fengqiao.runtime import Runtime
from fengqiao.settings import KafkaSettings
from fengqiao.storage import Aggregate, IndexSpec, Repository
from fengqiao.testing import point_at_servers, until
from fengqiao.web import create_service_app
from support import consume_until, reported


class Task(Aggregate):
    """What a grid worker was asked to look at."""

    title: str


async def test_a_service_consumes_once_relays_its_outbox_and_rejects_the_unknown(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = f"grid-{uuid.uuid4().hex[:8]}"
    point_at_servers(monkeypatch, kafka, mongodb_uri)
    monkeypatch.setenv("FENGQIAO_GRID_AGENCY_ID", agency)
    monkeypatch.setenv("FENGQIAO_GRID_DATABASE", f"test_{agency}".replace("-", "_"))
    applied: list[bool] = []

    def wiring(runtime: Runtime) -> Wiring:
        tasks = Repository(runtime.db["tasks"], Task)

        async def on_reported(envelope: Envelope) -> None:
            def accept(current: Task | None) -> tuple[Task, list[OutboxMessage]]:
                assert envelope.subject is not None
                accepted = CaseAccepted(
                    case_id=envelope.subject,
                    assignment_id="A1",
                    accepted_at=datetime.now(UTC),
                    handler="网格员 张三",
                )
                reply = new_envelope(
                    accepted, source=f"/agencies/{agency}", subject=envelope.subject
                )
                task = current or Task(id=envelope.subject, title=envelope.data["title"])
                return task, [outgoing(topics.outbound(agency), reply)]

            assert envelope.subject is not None
            applied.append(await apply_once(tasks, envelope.subject, envelope.id, accept))

        return Wiring(handlers={"case.reported.v1": on_reported}, outbox=[tasks])

    app = create_service_app("grid", wiring=wiring, indexes=[IndexSpec("tasks", (("title", 1),))])
    event = reported("case-77")
    closed = new_envelope(
        CaseClosed(
            case_id="case-77", closed_at=datetime.now(UTC), outcome=Outcome.RESOLVED, summary="done"
        ),
        source="/agencies/intake",
        subject="case-77",
    )
    replies: list[Envelope] = []

    async def keep(envelope: Envelope) -> None:
        replies.append(envelope)

    async with app.router.lifespan_context(app), EventProducer(kafka) as producer:
        await producer.publish(topics.inbound(agency), event)
        await producer.publish(topics.inbound(agency), event)  # a redelivery
        await producer.publish(topics.inbound(agency), closed)
        reader = EventConsumer(
            kafka=kafka,
            group_id=f"reader-{agency}",
            topics=[topics.outbound(agency)],
            handler=keep,
            producer=producer,
            dead_letter_topic=topics.DLQ,
        )
        await consume_until(reader, lambda: len(replies) >= 1 and len(applied) >= 2)

        async def dead_letters() -> list[DeadLetter]:
            return [d for d in await read_dead_letters(kafka) if d.topic == topics.inbound(agency)]

        await until(dead_letters, "the dead letter", every_s=0.2)
        runtime: Runtime = app.state.runtime
        stored = await runtime.db["tasks"].find_one({"_id": "case-77"})
        index_names = {i["name"] async for i in await runtime.db["tasks"].list_indexes()}
        await runtime.mongo.drop_database(runtime.db.name)

    assert applied == [True, False], "applied once, the redelivery recognised"
    assert stored is not None and stored["title"] == "青蟹被盗"
    assert [r.type for r in replies] == ["case.accepted.v1"]
    assert replies[0].subject == "case-77" and replies[0].source == f"/agencies/{agency}"
    assert "title_1" in index_names
    await asyncio.sleep(0)
    letters = [d for d in await read_dead_letters(kafka) if d.topic == topics.inbound(agency)]
    assert [(d.reason, d.group) for d in letters] == [("rejected_by_handler", f"fengqiao-{agency}")]
    assert "handles no case.closed.v1" in letters[0].detail
