"""Helpers shared by the shared library's integration tests (and the crash scripts)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from fengqiao.contracts import Envelope, new_envelope
from fengqiao.contracts.codes import Category, Channel
from fengqiao.contracts.events import CaseReported, Location
from fengqiao.messaging import EventConsumer, apply_once


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


def counting_handler(
    collection: AsyncCollection[dict[str, Any]], applied: list[bool]
) -> Callable[[Envelope], Any]:
    """Count each event into its case's tally, at most once per event id."""

    async def handle(envelope: Envelope) -> None:
        applied.append(
            await apply_once(
                collection,
                doc_id=envelope.subject,
                event_id=envelope.id,
                update={"$inc": {"count": 1}},
                upsert=True,
            )
        )

    return handle


async def consume_until(
    consumer: EventConsumer, done: Callable[[], bool], timeout_s: float = 60.0
) -> None:
    """Run ``consumer`` until ``done()`` holds, then stop it gracefully."""
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    deadline = time.monotonic() + timeout_s
    try:
        while not done():
            if task.done():
                task.result()
            if time.monotonic() > deadline:
                raise TimeoutError("the consumer did not get there in time")
            await asyncio.sleep(0.05)
    finally:
        consumer.stop()
        await task
        await consumer.close()
