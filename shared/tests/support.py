"""Helpers shared by the shared library's integration tests (and the crash scripts)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.codes import Category, Channel
from fengqiao.contracts.events import CaseReported, Location
from fengqiao.messaging import (
    EventConsumer,
    EventProducer,
    OutboxMessage,
    RetryPolicy,
    apply_once,
)
from fengqiao.settings import KafkaSettings
from fengqiao.storage import Aggregate, Repository
from fengqiao.testing import until

CRASH = Path(__file__).with_name("crash.py")


def reported(case_id: str, title: str = "青蟹被盗") -> Envelope:
    """A valid case.reported.v1 event about ``case_id``."""
    data = CaseReported(
        external_ref=f"grid-{case_id}",
        channel=Channel.GRID,
        category=Category.THEFT,
        title=title,
        description="Mud crabs stolen from a pond overnight.",
        location=Location(town="都斛镇", village="南村", grid="G07"),
        reported_at=datetime.now(UTC),
    )
    return new_envelope(data, source="/agencies/grid", subject=case_id)


class Report(Aggregate):
    """An aggregate that sends events: a reported matter."""

    title: str


class Tally(Aggregate):
    """How many events about one case were applied."""

    count: int = 0


def tallies(db: AsyncDatabase[dict[str, Any]]) -> Repository[Tally]:
    return Repository(db["tallies"], Tally)


def counting_handler(
    repository: Repository[Tally], applied: list[bool]
) -> Callable[[Envelope], Any]:
    """Count each event into its case's tally, at most once per event id."""

    async def handle(envelope: Envelope) -> None:
        tally_id = envelope.subject or envelope.id

        def add_one(current: Tally | None) -> tuple[Tally, list[OutboxMessage]]:
            tally = current or Tally(id=tally_id)
            return tally.model_copy(update={"count": tally.count + 1}), []

        applied.append(await apply_once(repository, tally_id, envelope.id, add_one))

    return handle


def consumer_of(
    bootstrap: KafkaSettings,
    topic: str,
    handler: Callable[[Envelope], Any],
    producer: EventProducer,
    *,
    group: str | None = None,
    retry: RetryPolicy | None = None,
) -> EventConsumer:
    """A consumer of ``topic`` in a group of its own (unless ``group`` is given)."""
    return EventConsumer(
        kafka=bootstrap,
        group_id=group or f"g-{uuid.uuid4().hex[:8]}",
        topics=[topic],
        handler=handler,
        producer=producer,
        dead_letter_topic=topics.DLQ,
        retry=retry,
    )


async def consume_until(
    consumer: EventConsumer, done: Callable[[], bool], timeout_s: float = 60.0
) -> None:
    """Run ``consumer`` until ``done()`` holds, then stop it gracefully."""
    await consumer.start()
    task = asyncio.create_task(consumer.run())

    def there() -> bool:
        if task.done():
            task.result()  # a consumer that crashed fails the wait
        return done()

    try:
        await until(there, "the consumer to get there", timeout_s=timeout_s, every_s=0.05)
    finally:
        consumer.stop()
        await task
        await consumer.close()


async def run_crashing(kafka: KafkaSettings, *args: str) -> int:
    """Run a role of crash.py and see it die by SIGKILL at its chosen point."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CRASH),
        *args,
        cwd=CRASH.parent,
        env={**os.environ, **kafka.as_env()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode == -9, f"expected death by SIGKILL, got {proc.returncode}: {out!r}"
    return proc.returncode
