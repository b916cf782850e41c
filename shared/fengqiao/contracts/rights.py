"""What each Kafka principal may do, derived from the agencies in the gateway's registry.

The broker enforces these (ACLs on the local broker, Strimzi ``KafkaUser`` resources in
Kubernetes); the gateway's policy enforces the same again. An agency writes only its ``out``
topic and reads only its ``in`` topic (plus its own dead letters); only the gateway reads every
``out`` topic and writes every ``in`` topic, the audit chain and the exchange's DLQ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from fengqiao.contracts import topics

GATEWAY = "gateway"
ADMIN = "admin"


class Resource(StrEnum):
    TOPIC = "topic"
    GROUP = "group"
    TRANSACTIONAL_ID = "transactionalId"


class Pattern(StrEnum):
    LITERAL = "literal"
    PREFIX = "prefix"


class Operation(StrEnum):
    READ = "Read"
    WRITE = "Write"
    DESCRIBE = "Describe"


@dataclass(frozen=True, order=True)
class Acl:
    """One allow rule: ``principal`` may do ``operation`` on the named resource."""

    principal: str
    resource: Resource
    name: str
    pattern: Pattern
    operation: Operation


def principal(agency: str) -> str:
    """The broker's name for an agency's service: it authenticates as the agency id."""
    return f"User:{agency}"


def _allow(
    agency: str, resource: Resource, name: str, pattern: Pattern, *ops: Operation
) -> list[Acl]:
    return [Acl(principal(agency), resource, name, pattern, op) for op in ops]


def agency_rights(agency: str) -> list[Acl]:
    """An agency's service: its out topic, its in topic, its dead letters, its consumer group."""
    r, w, d = Operation.READ, Operation.WRITE, Operation.DESCRIBE
    lit = Pattern.LITERAL
    return [
        *_allow(agency, Resource.TOPIC, topics.outbound(agency), lit, w, d),
        *_allow(agency, Resource.TOPIC, topics.inbound(agency), lit, r, d),
        *_allow(agency, Resource.TOPIC, topics.dead_letters(agency), lit, r, w, d),
        *_allow(agency, Resource.GROUP, topics.consumer_group(agency), lit, r, d),
    ]


def gateway_rights(gateway: str = GATEWAY) -> list[Acl]:
    """The exchange itself. It also writes ``out`` topics: its HTTP edge publishes for agencies
    that have no Kafka client of their own (webhook and pull delivery)."""
    r, w, d = Operation.READ, Operation.WRITE, Operation.DESCRIBE
    lit, pre = Pattern.LITERAL, Pattern.PREFIX
    group = topics.consumer_group(gateway)
    return [
        *_allow(gateway, Resource.TOPIC, topics.OUT_PREFIX, pre, r, w, d),
        *_allow(gateway, Resource.TOPIC, topics.IN_PREFIX, pre, r, w, d),
        *_allow(gateway, Resource.TOPIC, topics.AUDIT, lit, r, w, d),
        *_allow(gateway, Resource.TOPIC, topics.DLQ, lit, r, w, d),
        *_allow(gateway, Resource.GROUP, group, pre, r, d),
        *_allow(gateway, Resource.TRANSACTIONAL_ID, group, pre, w, d),
    ]


def derive(agencies: Iterable[str], *, gateway: str = GATEWAY) -> list[Acl]:
    """Every ACL of the exchange, sorted, for the agencies of the registry and the gateway.

    The gateway is an agency too (its Open311 edge reports citizens' requests and hears back),
    so it also has an agency's rights: its consumer group and its own dead letters.
    """
    rules = {*gateway_rights(gateway), *agency_rights(gateway)}
    for agency in agencies:
        rules.update(agency_rights(agency))
    return sorted(rules)


def principals(agencies: Iterable[str], *, gateway: str = GATEWAY) -> list[str]:
    """The user names the broker must know: each agency and the gateway."""
    return sorted({*agencies, gateway})
