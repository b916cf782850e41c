"""The gateway killed with SIGKILL in the middle of a batch of 1,000 events, then restarted:
every event arrives exactly once, with exactly one receipt, and the audit chain holds."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from asyncio.subprocess import Process
from collections import Counter
from pathlib import Path

import httpx
import pytest

from fengqiao.contracts import Envelope, topics
from fengqiao.contracts.codes import AgencyKind
from fengqiao.messaging import EventProducer
from fengqiao.settings import KafkaSettings
from fengqiao.storage import connect
from fengqiao.storage.mongo import Document
from fengqiao.testing import free_port, quiet_for, until
from gateway.domain.audit import verify
from gatewaykit import Exchange, Inboxes
from samples import sample

pytestmark = pytest.mark.asyncio(loop_scope="session")
EVENTS = 1000


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def started_gateway(port: int, log: Path) -> Process:
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "fengqiao.web.serve", "gateway", stdout=out, stderr=out
        )
    async with httpx.AsyncClient() as client:

        async def ready() -> bool:
            assert process.returncode is None, tail(log)
            with contextlib.suppress(httpx.HTTPError):
                return (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200
            return False

        try:
            await until(ready, "the gateway to get ready", every_s=0.3)
        except AssertionError as gave_up:
            if process.returncode is None:
                process.kill()
            raise AssertionError(tail(log)) from gave_up
    return process


async def test_sigkill_mid_batch_loses_and_repeats_nothing(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    port = free_port()
    exchange.configure(
        monkeypatch,
        tmp_path,
        kafka=kafka,
        mongo=mongodb_uri,
        port=str(port),
        router_batch="40",
    )
    hub = exchange.of_kind(AgencyKind.HUB).id
    forces = [
        exchange.of_kind(k).id for k in (AgencyKind.GRID, AgencyKind.COURT, AgencyKind.POLICE)
    ]
    envelopes = [
        exchange.envelope(
            hub,
            sample("case.transferred.v1", f"c-{n % 60}", f"a-{n}"),
            recipient=forces[n % len(forces)],
            subject=f"c-{n % 60}",
        )
        for n in range(EVENTS)
    ]
    log = tmp_path / "gateway.log"

    def receipts(inboxes: Inboxes) -> list[str]:
        return [e.data["event_id"] for e in inboxes.at(hub) if e.type == "exchange.receipt.v1"]

    async with (
        EventProducer(kafka) as producer,
        Inboxes(kafka, exchange.suffix).listening() as inboxes,
    ):

        async def publish(batch: list[Envelope], *, pace_s: float = 0.0) -> None:
            for i in range(0, len(batch), 10):
                await producer.publish_many(
                    [(topics.outbound(hub), e, None) for e in batch[i : i + 10]]
                )
                await asyncio.sleep(pace_s)

        first = await started_gateway(port, log)
        # The first half arrives as a steady stream, so the kill finds the router mid-batch with
        # a transaction open; the second half is sent while it is dead. (Sending all at once
        # let a fast router finish before a slow receipt reader saw 150 receipts.)
        streaming = asyncio.create_task(publish(envelopes[: EVENTS // 2], pace_s=0.02))

        def mid_stream() -> bool:
            assert first.returncode is None, tail(log)
            return len(receipts(inboxes)) >= 150

        try:
            await until(mid_stream, "150 receipts", timeout_s=180, every_s=0.02)
        finally:
            first.kill()  # SIGKILL: no shutdown hook runs, the open transaction stays open
            await first.wait()
        await streaming
        await publish(envelopes[EVENTS // 2 :])

        second = await started_gateway(port, log)
        try:
            await inboxes.wait_for(
                lambda a, e: a == hub and e.type == "exchange.receipt.v1", EVENTS, timeout_s=180
            )
            # time for any duplicate to show up
            await quiet_for(lambda: len(inboxes.received), "deliveries", quiet_s=3)
        finally:
            second.terminate()
            await asyncio.wait_for(second.wait(), 30)

    sent = [e.id for e in envelopes]
    delivered = Counter(e.id for a, e in inboxes.received if a in forces)
    assert sorted(delivered) == sorted(sent)
    assert set(delivered.values()) == {1}, "an event was delivered twice"
    assert Counter(receipts(inboxes)) == Counter(sent), "a receipt is missing or repeated"
    cases = {e.subject for e in envelopes}
    for force in forces:  # each case's events in the order the hub sent them
        arrived = inboxes.at(force)
        for case in cases:
            assert [e.id for e in arrived if e.subject == case] == [
                e.id for e in envelopes if e.subject == case and e.recipient == force
            ]

    db = connect(mongodb_uri)[os.environ["FENGQIAO_GATEWAY_DATABASE"]]
    try:

        async def all_archived() -> list[Document] | None:
            records = [doc async for doc in db["audit"].find({})]
            return records if len(records) >= EVENTS else None

        records = await until(all_archived, f"{EVENTS} audit records", every_s=0.2)
        checked, finding = verify(records)
        assert finding is None, str(finding)
        assert checked == EVENTS
        assert sorted(r["event_id"] for r in records) == sorted(sent)
    finally:
        await db.client.drop_database(db.name)
        await db.client.close()
