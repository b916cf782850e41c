"""Every Kafka topic name of the exchange lives here, and only here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fengqiao.settings import TopicSettings

DLQ = "xchg.dlq"
AUDIT = "xchg.audit"
OUT_PREFIX = "xchg.out."
IN_PREFIX = "xchg.in."

_AGENCY_ID = re.compile(r"[a-z][a-z0-9_-]{1,62}")


def _checked(agency: str) -> str:
    if not _AGENCY_ID.fullmatch(agency):
        raise ValueError(f"invalid agency id {agency!r}: lower-case letters, digits, '-' or '_'")
    return agency


def outbound(agency: str) -> str:
    """The topic an agency writes to; only the gateway reads it."""
    return f"{OUT_PREFIX}{_checked(agency)}"


OUTBOUND_PATTERN = r"^xchg\.out\.[a-z][a-z0-9_-]{1,62}$"


def agency_of(topic: str) -> str:
    """The agency whose ``out`` or ``in`` topic this is: the part after ``.out.`` or ``.in.``,
    whatever the namespace before it (``xchg``; a benchmark's own, which no running gateway
    reads). Which topics a router consumes at all is its route pattern's business."""
    for marker in (".out.", ".in."):
        namespace, found, agency = topic.partition(marker)
        if found and namespace and "." not in namespace:
            return _checked(agency)
    return _checked(topic)


def inbound(agency: str) -> str:
    """The topic an agency reads; only the gateway writes it."""
    return f"{IN_PREFIX}{_checked(agency)}"


def consumer_group(service: str) -> str:
    """The consumer group of a service; `fengqiao status` reports its lag."""
    return f"fengqiao-{_checked(service)}"


def is_dead_letters(topic: str) -> bool:
    """The exchange's DLQ or an agency's own."""
    return topic == DLQ or topic.startswith(f"{DLQ}.")


def dead_letters(agency: str) -> str:
    """An agency's own dead letters. A poison record holds parties' data, so it stays where only
    its agency (and the gateway's operators, through their own DLQ) can read it."""
    return f"xchg.dlq.{_checked(agency)}"


@dataclass(frozen=True)
class TopicSpec:
    """A topic the platform creates itself (the broker never auto-creates one for an agency)."""

    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str] = field(default_factory=dict)


def platform_topics(agencies: Iterable[str], settings: TopicSettings) -> list[TopicSpec]:
    """Every topic of the exchange for these agencies, sized and kept as ``settings`` say."""
    common = {
        "retention.ms": str(settings.retention_ms),
        "min.insync.replicas": str(settings.min_insync_replicas),
    }
    rf = settings.replication_factor

    def topic(name: str, **config: str) -> TopicSpec:
        return TopicSpec(name, settings.partitions, rf, {**common, **config})

    specs = [
        # The chain has one order: one partition, kept for ever.
        TopicSpec(AUDIT, 1, rf, {**common, "retention.ms": "-1"}),
        topic(DLQ, **{"retention.ms": str(settings.dlq_retention_ms)}),
    ]
    for agency in sorted(set(agencies)):
        specs += [
            topic(outbound(agency)),
            topic(inbound(agency)),
            topic(dead_letters(agency), **{"retention.ms": str(settings.dlq_retention_ms)}),
        ]
    return specs
