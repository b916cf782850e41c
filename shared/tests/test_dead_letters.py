"""Poison messages land in the DLQ with their reason, and the messages behind them still flow."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import AutoReconnect

from fengqiao.contracts.envelope import Envelope, to_record
from fengqiao.messaging import EventProducer, RetryPolicy
from fengqiao.messaging.dlq import DeadLetter, read_dead_letters
from fengqiao.settings import KafkaSettings
from fengqiao.storage.mongo import Document
from support import consume_until, consumer_of, counting_handler, reported, tallies


def without(headers: list[tuple[str, bytes]], name: str) -> list[tuple[str, bytes]]:
    return [h for h in headers if h[0] != name]


def replaced(headers: list[tuple[str, bytes]], name: str, value: str) -> list[tuple[str, bytes]]:
    return [*without(headers, name), (name, value.encode())]


async def test_poison_goes_to_dlq_with_reason_and_the_rest_is_consumed(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    case = f"case-{uuid.uuid4().hex[:8]}"
    first, last, failing = reported(case), reported(case), reported(f"{case}-boom")
    good = to_record(first)
    schema_broken = good.value.replace(b'"channel":"grid"', b'"channel":"carrier-pigeon"')
    poison: dict[str, tuple[bytes, Sequence[tuple[str, bytes | None]]]] = {
        "malformed_json": (good.value[:-7], good.headers),
        "missing_attribute": (good.value, without(good.headers, "ce_type")),
        "unknown_type": (good.value, replaced(good.headers, "ce_type", "case.teleported.v1")),
        "schema_invalid": (schema_broken, good.headers),
        "unsupported_specversion": (good.value, replaced(good.headers, "ce_specversion", "0.3")),
        "invalid_attribute": (good.value, [*without(good.headers, "ce_type"), ("ce_type", None)]),
    }
    nested = b"[" * 100_000 + b"]" * 100_000  # absurd nesting must not wedge the partition
    applied: list[bool] = []
    count_once = counting_handler(tallies(mongo_db), applied)

    failures = 0

    async def handle(envelope: Envelope) -> None:
        nonlocal failures
        if envelope.subject == failing.subject:
            failures += 1
            raise RuntimeError("the store said no")
        await count_once(envelope)

    async with EventProducer(kafka) as producer:
        await producer.publish(topic_name, first)
        for value, headers in poison.values():
            await producer.publish_raw(topic_name, key=good.key, value=value, headers=headers)
        await producer.publish_raw(topic_name, key=good.key, value=nested, headers=good.headers)
        await producer.publish(topic_name, failing)
        await producer.publish(topic_name, last)

        consumer = consumer_of(
            kafka,
            topic_name,
            handle,
            producer,
            retry=RetryPolicy(attempts=3, base_delay_s=0.01),
        )
        # The failing event has another key, so another partition: wait for both. A stop lets
        # the record in hand finish, so its last failure reaches the DLQ before run() returns.
        await consume_until(consumer, lambda: len(applied) >= 2 and failures >= 3)

    tally = await mongo_db["tallies"].find_one({"_id": case})
    assert tally is not None and tally["count"] == 2, "the events behind the poison were applied"

    letters = [d for d in await read_dead_letters(kafka) if d.topic == topic_name]
    assert sorted(d.reason for d in letters) == sorted(
        [*poison, "handler_failed", "malformed_json"]
    )
    by_reason: dict[str, DeadLetter] = {d.reason: d for d in letters if d.value != nested}
    for reason, (value, _) in poison.items():
        assert by_reason[reason].value == value, "kept byte for byte"
        assert by_reason[reason].detail, f"{reason} says why"
    failed = by_reason["handler_failed"]
    assert failed.attempts == 3 and "the store said no" in failed.detail
    assert dict(failed.headers)["ce_id"] == failing.id.encode(), "original headers kept"


async def test_an_outage_of_the_store_is_waited_out_not_dead_lettered(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    event = reported(f"case-{uuid.uuid4().hex[:8]}")
    applied: list[bool] = []
    count_once = counting_handler(tallies(mongo_db), applied)
    outage = 8  # more failures than the retry budget of 3

    async def flaky_store(envelope: Envelope) -> None:
        nonlocal outage
        if outage > 0:
            outage -= 1
            raise AutoReconnect("store restarting")
        await count_once(envelope)

    async with EventProducer(kafka) as producer:
        await producer.publish(topic_name, event)
        consumer = consumer_of(
            kafka,
            topic_name,
            flaky_store,
            producer,
            retry=RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05),
        )
        await consume_until(consumer, lambda: len(applied) >= 1)

    assert applied == [True]
    assert not [d for d in await read_dead_letters(kafka) if d.topic == topic_name]


async def test_a_record_too_big_to_dead_letter_whole_is_kept_truncated(
    kafka: KafkaSettings, mongo_db: AsyncDatabase[Document], topic_name: str
) -> None:
    event = reported(f"case-{uuid.uuid4().hex[:8]}")
    good = to_record(event)
    # Just under what a producer sends (1 MiB a request); with the dlq_* headers it is over.
    huge = b'{"pad":"' + b"x" * 1_048_200 + b'"}'
    applied: list[bool] = []
    async with EventProducer(kafka) as producer:
        await producer.publish_raw(topic_name, key=good.key, value=huge, headers=good.headers)
        await producer.publish(topic_name, event)
        consumer = consumer_of(
            kafka, topic_name, counting_handler(tallies(mongo_db), applied), producer
        )
        await consume_until(consumer, lambda: len(applied) >= 1)

    letters = [d for d in await read_dead_letters(kafka) if d.topic == topic_name]
    assert [d.reason for d in letters] == ["too_large"]
    assert letters[0].value == huge[:64_000]
