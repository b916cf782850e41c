"""Provisioning a broker for the exchange: SCRAM users, topics and ACLs, idempotently.

aiokafka's admin client has no call for ACLs in batches nor for SCRAM credentials, so the two
requests are built here from its protocol types (Kafka's CreateAcls v1, DescribeAcls v1 and
AlterUserScramCredentials v0). Run as a super user of the broker.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.protocol.admin import CreateAclsRequest_v1, DescribeAclsRequest_v1
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import (
    CompactArray,
    CompactBytes,
    CompactString,
    Int8,
    Int16,
    Int32,
    Schema,
    TaggedFields,
)

from fengqiao.contracts.rights import Acl, Operation, Pattern, Resource
from fengqiao.contracts.topics import TopicSpec
from fengqiao.messaging.access import refused_identity
from fengqiao.settings import KafkaSettings

# Kafka's wire codes (org.apache.kafka.common.acl / resource).
_RESOURCE = {Resource.TOPIC: 2, Resource.GROUP: 3, Resource.TRANSACTIONAL_ID: 5}
_PATTERN = {Pattern.LITERAL: 3, Pattern.PREFIX: 4}
_OPERATION = {Operation.READ: 3, Operation.WRITE: 4, Operation.DESCRIBE: 8}
_ANY, _ALLOW = 1, 3
_SCRAM_SHA_512, _ITERATIONS = 2, 8192
_TOPIC_EXISTS = 36
_LOGIN_TRIES = 50


class ProvisioningError(RuntimeError):
    """The broker refused part of the provisioning; the message says which and why."""


@dataclass(frozen=True)
class Provisioned:
    users: int
    topics_created: int
    acls: int


class _AlterScramResponse(Response):  # type: ignore[misc]
    API_KEY = 51
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "results",
            CompactArray(
                ("user", CompactString("utf-8")),
                ("error_code", Int16),
                ("error_message", CompactString("utf-8")),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class _AlterScramStruct(RequestStruct):  # type: ignore[misc]
    FLEXIBLE_VERSION = True
    API_KEY = 51
    API_VERSION = 0
    RESPONSE_TYPE = _AlterScramResponse
    SCHEMA = Schema(
        (
            "deletions",
            CompactArray(
                ("name", CompactString("utf-8")), ("mechanism", Int8), ("tags", TaggedFields)
            ),
        ),
        (
            "upsertions",
            CompactArray(
                ("name", CompactString("utf-8")),
                ("mechanism", Int8),
                ("iterations", Int32),
                ("salt", CompactBytes),
                ("salted_password", CompactBytes),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class _AlterScram(Request[_AlterScramStruct]):  # type: ignore[misc]
    API_KEY = 51

    def __init__(self, users: Mapping[str, str]) -> None:
        self._upsertions = [_salted(name, password) for name, password in users.items()]

    def build(self, request_struct_class: type[_AlterScramStruct]) -> _AlterScramStruct:
        return request_struct_class([], self._upsertions, {})


def _salted(name: str, password: str) -> tuple[Any, ...]:
    """SCRAM-SHA-512 (RFC 5802): the broker keeps keys derived from this, never the password."""
    salt = secrets.token_bytes(32)
    salted = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, _ITERATIONS)
    return (name, _SCRAM_SHA_512, _ITERATIONS, salt, salted, {})


class _CreateAcls(Request[CreateAclsRequest_v1]):  # type: ignore[misc]
    API_KEY = 30

    def __init__(self, rules: Sequence[Acl]) -> None:
        self._creations = [
            (
                _RESOURCE[a.resource],
                a.name,
                _PATTERN[a.pattern],
                a.principal,
                "*",
                _OPERATION[a.operation],
                _ALLOW,
            )
            for a in rules
        ]

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> CreateAclsRequest_v1:
        return request_struct_class(self._creations)


class _DescribeAcls(Request[DescribeAclsRequest_v1]):  # type: ignore[misc]
    API_KEY = 29

    def build(self, request_struct_class: type[DescribeAclsRequest_v1]) -> DescribeAclsRequest_v1:
        return request_struct_class(_ANY, None, _ANY, None, None, _ANY, _ANY)


async def upsert_users(admin: AIOKafkaAdminClient, users: Mapping[str, str]) -> None:
    """Create or reset SCRAM-SHA-512 credentials, ``{name: password}``."""
    if not users:
        return
    response = await admin._send_request(_AlterScram(users))
    failed = [f"{u}: {msg or code}" for u, code, msg, _ in response.results if code]
    if failed:
        raise ProvisioningError(f"the broker refused SCRAM users: {'; '.join(failed)}")


async def create_acls(admin: AIOKafkaAdminClient, rules: Sequence[Acl]) -> None:
    """Add allow rules; an existing rule is left as it is."""
    if not rules:
        return
    response = await admin._send_request(_CreateAcls(rules))
    failed = [
        f"{rules[i]}: {msg or code}"
        for i, (code, msg) in enumerate(response.creation_responses)
        if code
    ]
    if failed:
        raise ProvisioningError(f"the broker refused ACLs: {'; '.join(failed)}")


async def describe_acls(admin: AIOKafkaAdminClient) -> list[Acl]:
    """Every allow rule on topics, groups and transactional ids that Fengqiao could have made."""
    response = await admin._send_request(_DescribeAcls())
    if response.error_code:
        raise ProvisioningError(f"the broker refused to list ACLs: {response.error_message}")
    resources = {v: k for k, v in _RESOURCE.items()}
    patterns = {v: k for k, v in _PATTERN.items()}
    operations = {v: k for k, v in _OPERATION.items()}
    found = []
    for r_type, r_name, r_pattern, acls in response.resources:
        for principal, _host, operation, permission in acls:
            known = r_type in resources and r_pattern in patterns and operation in operations
            if known and permission == _ALLOW:
                found.append(
                    Acl(
                        principal,
                        resources[r_type],
                        r_name,
                        patterns[r_pattern],
                        operations[operation],
                    )
                )
    return sorted(found)


async def create_topics(admin: AIOKafkaAdminClient, specs: Iterable[TopicSpec]) -> int:
    """Create the topics that do not exist yet; returns how many were created."""
    wanted = [
        NewTopic(s.name, s.partitions, s.replication_factor, topic_configs=dict(s.config))
        for s in specs
    ]
    if not wanted:
        return 0
    response = await admin.create_topics(wanted)
    created, failed = 0, []
    for name, code, *rest in response.topic_errors:
        if code == 0:
            created += 1
        elif code != _TOPIC_EXISTS:
            failed.append(f"{name}: {rest[0] if rest and rest[0] else code}")
    if failed:
        raise ProvisioningError(f"the broker refused topics: {'; '.join(failed)}")
    return created


async def provision(
    kafka: KafkaSettings,
    *,
    users: Mapping[str, str],
    topics: Sequence[TopicSpec],
    rules: Sequence[Acl],
) -> Provisioned:
    """Users, then topics, then ACLs: the broker's side of the exchange for these agencies."""
    admin = AIOKafkaAdminClient(**kafka.client_args(), request_timeout_ms=30_000)
    await admin.start()
    try:
        await upsert_users(admin, users)
        created = await create_topics(admin, topics)
        await create_acls(admin, rules)
        await _until_held(admin, rules)
    finally:
        await admin.close()
    await _until_known(kafka, users)
    return Provisioned(users=len(users), topics_created=created, acls=len(rules))


async def _until_held(admin: AIOKafkaAdminClient, rules: Sequence[Acl]) -> None:
    """ACLs, like users, reach the broker's authorizer a moment after the controller takes them;
    the broker answers DescribeAcls from what it enforces, so wait until it holds them all."""
    wanted = set(rules)

    async def held() -> bool:
        return wanted <= set(await describe_acls(admin))

    await _until(held, "ACLs were made but the broker does not enforce them yet")


async def _until_known(kafka: KafkaSettings, users: Mapping[str, str]) -> None:
    """Credentials reach the brokers through the metadata log a moment after the controller
    takes them: return once each user logs in, so nothing started next is refused."""
    for name, password in users.items():
        identity = kafka.as_user(name, password)

        async def logs_in(identity: KafkaSettings = identity) -> bool:
            return await refused_identity(identity) is None

        await _until(logs_in, f"user {name} was made but the broker still refuses it")


async def _until(check: Callable[[], Awaitable[bool]], failure: str) -> None:
    for _ in range(_LOGIN_TRIES):
        if await check():
            return
        await asyncio.sleep(0.2)
    raise ProvisioningError(failure)
