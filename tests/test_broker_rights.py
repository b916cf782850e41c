"""The broker itself enforces each agency's rights (issue: rights enforced by the broker).

Two agencies and a gateway get SCRAM users, topics and the ACLs derived from the registry on the
test session's secured broker; each then connects with its own credentials. What an agency may
not do is refused by Kafka, whatever the gateway would have said.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import TopicAuthorizationFailedError

from fengqiao.contracts import topics
from fengqiao.contracts.rights import derive
from fengqiao.contracts.topics import platform_topics
from fengqiao.messaging.access import refused_identity
from fengqiao.messaging.admin import describe_acls, provision
from fengqiao.messaging.pump import MessagePump, Wiring
from fengqiao.settings import KafkaSettings, TopicSettings
from fengqiao.testing import free_port, until

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Exchange:
    """Two agencies and a gateway, each with its own identity on the broker."""

    a: str
    b: str
    gateway: str
    identity: dict[str, KafkaSettings]


@pytest_asyncio.fixture(loop_scope="session")
async def exchange(kafka: KafkaSettings) -> AsyncIterator[Exchange]:
    if not kafka.uses_sasl:
        pytest.fail("the test broker must be the secured one (SASL); see README 'Testing'")
    run = uuid.uuid4().hex[:8]
    a, b, gateway = f"town-{run}", f"dept-{run}", f"gw-{run}"
    passwords = {name: secrets.token_urlsafe(24) for name in (a, b, gateway)}
    await provision(
        kafka,
        users=passwords,
        topics=platform_topics([a, b], TopicSettings(partitions=1)),
        rules=derive([a, b], gateway=gateway),
    )
    yield Exchange(a, b, gateway, {n: kafka.as_user(n, p) for n, p in passwords.items()})


async def write(kafka: KafkaSettings, topic: str) -> None:
    producer = AIOKafkaProducer(**kafka.client_args(), request_timeout_ms=10_000)
    await producer.start()
    try:
        await asyncio.wait_for(producer.send_and_wait(topic, b"{}", key=b"case-1"), 20)
    finally:
        await producer.stop()


async def read(kafka: KafkaSettings, topic: str, group: str) -> int:
    """How many records ``topic`` holds, read from the start by a member of ``group``, as a
    service reads (a subscription: the broker checks the topic when the member asks for it)."""
    consumer = AIOKafkaConsumer(
        topic,
        **kafka.client_args(),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    try:
        await consumer.start()

        async def some() -> int:
            batch = await asyncio.wait_for(consumer.getmany(timeout_ms=500), 20)
            return sum(len(records) for records in batch.values())

        return await until(some, f"records on {topic}", timeout_s=10)
    finally:
        await consumer.stop()


async def test_an_agency_writes_its_out_topic_and_reads_its_in_topic(exchange: Exchange) -> None:
    a, gw = exchange.identity[exchange.a], exchange.identity[exchange.gateway]
    await write(a, topics.outbound(exchange.a))
    gw_group = topics.consumer_group(exchange.gateway)
    assert await read(gw, topics.outbound(exchange.a), gw_group) == 1, "the gateway reads outs"
    await write(gw, topics.inbound(exchange.a))
    assert await read(a, topics.inbound(exchange.a), topics.consumer_group(exchange.a)) == 1


@pytest.mark.parametrize(
    ("who", "topic_of"),
    [
        ("a", lambda x: topics.outbound(x.b)),  # another agency's out topic
        ("a", lambda x: topics.inbound(x.a)),  # its own in topic: only the gateway writes it
        ("a", lambda x: topics.AUDIT),
        ("b", lambda x: topics.DLQ),
        ("gateway", lambda x: topics.dead_letters(x.a)),  # an agency's own dead letters
    ],
    ids=["other-out", "own-in", "audit", "exchange-dlq", "agency-dlq-by-gateway"],
)
async def test_the_broker_refuses_a_write_outside_the_rights(
    exchange: Exchange, who: str, topic_of: Callable[[Exchange], str]
) -> None:
    name = getattr(exchange, who)
    topic = topic_of(exchange)
    with pytest.raises(TopicAuthorizationFailedError):
        await write(exchange.identity[name], topic)


@pytest.mark.parametrize(
    "topic_of",
    [
        lambda x: topics.inbound(x.b),  # another agency's in topic: the parties' data
        lambda x: topics.outbound(x.b),
        lambda x: topics.dead_letters(x.b),
        lambda x: topics.AUDIT,
    ],
    ids=["other-in", "other-out", "other-dlq", "audit"],
)
async def test_the_broker_refuses_a_read_outside_the_rights(
    exchange: Exchange, topic_of: Callable[[Exchange], str]
) -> None:
    topic = topic_of(exchange)
    with pytest.raises(TopicAuthorizationFailedError):
        await read(exchange.identity[exchange.a], topic, topics.consumer_group(exchange.a))


async def test_the_broker_holds_exactly_the_derived_rules(
    kafka: KafkaSettings, exchange: Exchange
) -> None:
    admin = AIOKafkaAdminClient(**kafka.client_args())
    await admin.start()
    try:
        held = await describe_acls(admin)
    finally:
        await admin.close()
    ours = {f"User:{n}" for n in (exchange.a, exchange.b, exchange.gateway)}
    assert sorted(r for r in held if r.principal in ours) == derive(
        [exchange.a, exchange.b], gateway=exchange.gateway
    )


async def test_wrong_credentials_are_named_not_retried(
    kafka: KafkaSettings, exchange: Exchange
) -> None:
    wrong = kafka.as_user(exchange.a, "not-the-password")
    refused = await refused_identity(wrong)
    assert refused is not None and exchange.a in refused and "KAFKA_SASL_PASSWORD" in refused
    assert await refused_identity(exchange.identity[exchange.a]) is None


async def test_a_denied_consumer_logs_principal_and_topic_and_keeps_running(
    exchange: Exchange, caplog: pytest.LogCaptureFixture
) -> None:
    """Agency a's service misconfigured as b (FENGQIAO_*_AGENCY_ID): it would read b's in
    topic. The broker says no; the pump says who and what, and stays up until stopped."""

    async def ignore(_: object) -> None:
        return None

    pump = MessagePump(
        kafka=exchange.identity[exchange.a],
        agency=exchange.b,
        wiring=Wiring(handlers={"case.transferred.v1": ignore}),
    )
    with caplog.at_level(logging.ERROR, logger="fengqiao.messaging.pump"):
        task = asyncio.create_task(pump.run())
        await until(
            lambda: any("denies" in r.getMessage() for r in caplog.records),
            "the denial in the log",
            timeout_s=20,
        )
        assert not task.done(), "the messaging loop must not crash on a denial"
        pump.stop()
        await asyncio.wait_for(task, 30)
    line = next(r.getMessage() for r in caplog.records if "denies" in r.getMessage())
    assert f"User:{exchange.a}" in line and topics.inbound(exchange.b) in line


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"KAFKA_SASL_USERNAME": ""}, "KAFKA_SASL_USERNAME is not set"),
        ({"KAFKA_SASL_PASSWORD": "not-the-password"}, "refuses user 'grid'"),
        ({"KAFKA_SASL_PASSWORD_FILE": "/nonexistent/grid.key"}, "KAFKA_SASL_PASSWORD_FILE="),
    ],
    ids=["no-user", "wrong-password", "missing-password-file"],
)
def test_a_service_with_bad_credentials_stops_with_one_line(
    kafka: KafkaSettings, given: dict[str, str], named: str
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KAFKA_")},
        **kafka.as_user("grid", "unused").as_env(),
        "FENGQIAO_GRID_PORT": str(free_port()),
    }
    del env["KAFKA_SASL_PASSWORD"]
    env |= given
    if not env.get("KAFKA_SASL_USERNAME"):
        del env["KAFKA_SASL_USERNAME"]
    served = subprocess.run(
        [sys.executable, "-m", "fengqiao.web.serve", "grid"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0
    lines = served.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("grid: ") and named in lines[0], served.stderr
