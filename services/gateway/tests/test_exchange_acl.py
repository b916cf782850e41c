"""The ACL matrix on the real broker: every agency kind sends every event type to every agency
kind; what the registry allows arrives exactly once with a receipt, the rest is refused with its
reason and never arrives."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from fengqiao.contracts.codes import AgencyKind
from fengqiao.messaging import EventProducer
from fengqiao.settings import KafkaSettings
from gatewaykit import Exchange, Inboxes, publish, running_gateway
from samples import every_type, sample

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_every_kind_type_and_recipient(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    agencies = [exchange.of_kind(kind) for kind in AgencyKind]
    registry = exchange.registry
    sent: dict[str, tuple[str, str, str]] = {}  # event id → (sender, type, recipient)
    async with (
        EventProducer(kafka) as producer,
        Inboxes(kafka, exchange.suffix).listening() as inboxes,
        running_gateway(),
    ):
        combos = itertools.product(agencies, every_type(), agencies)
        for n, (sender, event_type, recipient) in enumerate(combos):
            envelope = exchange.envelope(
                sender.id, sample(event_type, f"c-{n}"), recipient=recipient.id, subject=f"c-{n}"
            )
            sent[envelope.id] = (sender.id, event_type, recipient.id)
            await publish(producer, envelope, sender.id)
        answers = await inboxes.wait_for(
            lambda _, e: e.type.startswith("exchange.") and e.data["event_id"] in sent, len(sent)
        )

    assert len(sent) == len(AgencyKind) ** 2 * len(every_type())
    answer_of = {e.data["event_id"]: (agency, e) for agency, e in answers}
    assert len(answer_of) == len(answers), "an event was answered twice"
    delivered = [(a, e) for a, e in inboxes.received if e.id in sent]
    delivered_ids = [e.id for _, e in delivered]
    assert len(delivered_ids) == len(set(delivered_ids)), "an event arrived twice"
    arrived_at = {e.id: a for a, e in delivered}
    allowed = 0
    for event_id, (sender_id, event_type, recipient_id) in sent.items():
        refusal = registry.check(sender_id, event_type, recipient_id)
        agency, answer = answer_of[event_id]
        assert agency == sender_id  # the answer goes back to the sender
        if refusal is None:
            allowed += 1
            assert answer.type == "exchange.receipt.v1", answer.data
            assert arrived_at.get(event_id) == recipient_id
        else:
            assert answer.type == "exchange.rejected.v1"
            assert answer.data["reason_code"] == refusal[0].value
            assert event_id not in arrived_at
    # The matrix is not trivially one-sided, and some rules are as the seeds describe them.
    assert 0 < allowed < len(sent)
    outcome = {(s, t, r): answer_of[i][1].type for i, (s, t, r) in sent.items()}
    hub, grid, court = (
        exchange.of_kind(k).id for k in (AgencyKind.HUB, AgencyKind.GRID, AgencyKind.COURT)
    )
    assert outcome[(hub, "case.transferred.v1", court)] == "exchange.receipt.v1"
    assert outcome[(grid, "case.feedback.v1", hub)] == "exchange.receipt.v1"
    assert outcome[(grid, "case.transferred.v1", court)] == "exchange.rejected.v1"
    assert outcome[(court, "exchange.receipt.v1", hub)] == "exchange.rejected.v1"
