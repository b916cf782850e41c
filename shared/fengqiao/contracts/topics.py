"""Every Kafka topic name of the exchange lives here, and only here."""

from __future__ import annotations

import re

DLQ = "xchg.dlq"
AUDIT = "xchg.audit"

_AGENCY_ID = re.compile(r"[a-z][a-z0-9_-]{1,62}")


def _checked(agency: str) -> str:
    if not _AGENCY_ID.fullmatch(agency):
        raise ValueError(f"invalid agency id {agency!r}: lower-case letters, digits, '-' or '_'")
    return agency


def outbound(agency: str) -> str:
    """The topic an agency writes to; only the gateway reads it."""
    return f"xchg.out.{_checked(agency)}"


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
    return f"xchg.in.{_checked(agency)}"


def consumer_group(service: str) -> str:
    """The consumer group of a service; `fengqiao status` reports its lag."""
    return f"fengqiao-{_checked(service)}"
