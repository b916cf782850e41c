"""What the router refuses, and how: a tampered signature, a schema violation, an oversized
event, a forged source. Each is dead-lettered with its reason, answered with exchange.rejected,
chained into the audit log, and never delivered; the events around them still are."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from fengqiao.contracts import Envelope, topics
from fengqiao.contracts.codes import AgencyKind
from fengqiao.messaging import EventProducer
from fengqiao.messaging.dlq import read_dead_letters
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from gatewaykit import Exchange, Inboxes, publish, running_gateway
from samples import sample

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_each_bad_event_is_refused_with_its_reason(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    exchange.configure(
        monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri, max_event_bytes="65536"
    )
    hub, grid = exchange.of_kind(AgencyKind.HUB).id, exchange.of_kind(AgencyKind.GRID).id
    good = exchange.envelope(hub, sample("case.transferred.v1"), recipient=grid, subject="c-1")
    signed = exchange.envelope(hub, sample("case.closed.v1"), recipient=grid, subject="c-1")
    tampered = signed.model_copy(update={"data": {**signed.data, "summary": "改过的"}})
    no_schema = Envelope.model_validate(
        {**good.model_dump(), "id": "no-schema", "data": {"case_id": "c-1"}}
    )
    big = exchange.envelope(hub, sample("case.closed.v1"), recipient=grid, subject="c-1")
    big = big.model_copy(update={"data": {**big.data, "summary": "字" * 40_000}})
    forged = exchange.envelope(grid, sample("case.feedback.v1"), recipient=hub, subject="c-1")
    expected = {
        tampered.id: "bad_signature",
        no_schema.id: "schema_invalid",
        big.id: "too_large",
        forged.id: "source_mismatch",  # grid's event, slipped into the hub's topic
    }
    after = exchange.envelope(hub, sample("case.accepted.v1"), recipient=grid, subject="c-1")
    async with (
        EventProducer(kafka) as producer,
        Inboxes(kafka, exchange.suffix).listening() as inboxes,
        running_gateway() as (_, runtime),
    ):
        for envelope in (good, tampered, no_schema, big, forged, after):
            await publish(producer, envelope, hub)
        answers = await inboxes.wait_for(
            lambda agency, e: agency == hub and e.type.startswith("exchange."), 6
        )
        # The grid's topic is read apart from the hub's: its two may come a moment later.
        await inboxes.wait_for(lambda agency, _: agency == grid, 2)
        archived = runtime.db["audit"]

        async def all_archived() -> bool:
            return await archived.count_documents({}) >= 6

        await until(all_archived, "6 audit records", timeout_s=30)
        audit = [doc async for doc in archived.find({}).sort("_id", 1)]

    by_event = {e.data["event_id"]: e for _, e in answers}
    for event_id, reason in expected.items():
        assert by_event[event_id].type == "exchange.rejected.v1"
        assert by_event[event_id].data["reason_code"] == reason
    for delivered in (good, after):
        assert by_event[delivered.id].type == "exchange.receipt.v1"
    arrived = [e.id for e in inboxes.at(grid)]
    assert arrived == [good.id, after.id]  # in order, and nothing refused slipped through
    # The grid sees the hub's event countersigned by the gateway, not a bare copy.
    assert inboxes.at(grid)[0].signature != good.signature

    letters = {
        dict(letter.headers).get("ce_id", b"").decode(): letter
        for letter in await read_dead_letters(kafka)
    }
    for event_id, reason in expected.items():
        assert letters[event_id].reason == reason
        assert letters[event_id].topic == topics.outbound(hub)
    # The dead letter keeps the event byte for byte, so it can be inspected or replayed.
    assert json.loads(letters[tampered.id].value or b"") == tampered.data

    in_order = (good, tampered, no_schema, big, forged, after)
    assert [r["event_id"] for r in audit] == [e.id for e in in_order]
    assert [r["outcome"] for r in audit] == ["delivered", *["rejected"] * 4, "delivered"]
    assert all(r["prev_hash"] == p["hash"] for p, r in itertools.pairwise(audit))
