"""`fengqiao dlq list` shows a dead letter with its reason; `dlq replay` sends it back whole."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fengqiao_tools.cli.main import app
from typer.testing import CliRunner, Result

from fengqiao.contracts import Envelope
from fengqiao.contracts.envelope import to_record
from fengqiao.messaging import EventProducer, Rejected
from fengqiao.messaging.dlq import read_dead_letters
from fengqiao.settings import KafkaSettings
from fengqiao.testing import point_at_servers
from support import consume_until, consumer_of, reported


async def test_list_then_replay_a_dead_letter(
    kafka: KafkaSettings, topic_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at_servers(monkeypatch, kafka)
    event = reported(f"case-{uuid.uuid4().hex[:8]}")
    seen: list[str] = []

    async def refuse_first(envelope: Envelope) -> None:
        seen.append(envelope.id)
        if len(seen) == 1:
            raise Rejected("the court is closed today")

    async with EventProducer(kafka) as producer:
        await producer.publish(topic_name, event)
        await consume_until(
            consumer_of(kafka, topic_name, refuse_first, producer), lambda: len(seen) == 1
        )

    letter = next(d for d in await read_dead_letters(kafka) if d.topic == topic_name)
    runner = CliRunner(env={"COLUMNS": "250"})

    def cli(*args: str) -> Result:  # in a thread: the CLI runs its own event loop
        return runner.invoke(app, list(args))

    listed = await asyncio.to_thread(cli, "dlq", "list", "--limit", "100000")
    row = next(line for line in listed.output.splitlines() if letter.position in line)
    assert "rejected_by_handler" in row and topic_name in row and "court is closed" in row

    replayed = await asyncio.to_thread(cli, "dlq", "replay", letter.position)
    assert replayed.exit_code == 0, replayed.output
    assert (await asyncio.to_thread(cli, "dlq", "replay", "99:99999999")).exit_code == 1

    async with EventProducer(kafka) as producer:
        await consume_until(
            consumer_of(kafka, topic_name, refuse_first, producer), lambda: len(seen) == 3
        )
    assert seen == [event.id] * 3, "the original, then (new group) the original and the replay"
    assert letter.value == to_record(event).value
