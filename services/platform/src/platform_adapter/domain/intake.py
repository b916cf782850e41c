"""Intake (事件接入): an upstream event becomes the report the hub gets, or a rejection.

Nothing is guessed: an event that breaks the contract, or names a category or area the mapping
tables do not know, is rejected with the reason and an excerpt of what came, and the sync goes
on with the next event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError

from fengqiao.contracts.codes import Channel
from fengqiao.contracts.events import CaseReported, Party
from platform_adapter.domain.codes import RejectReason
from platform_adapter.domain.dedupe import Facts, normalise_phone
from platform_adapter.domain.mapping import MappingTables
from platform_adapter.domain.upstream import UpstreamEvent

EXCERPT_CHARS = 2000
# Reporters' phones and upstream servers drift; beyond this an event "from the future" is bad data.
CLOCK_SKEW = timedelta(minutes=10)
ANONYMOUS = "匿名"


@dataclass(frozen=True)
class Translated:
    """转换结果: the report to send to the hub and the facts de-duplication compares."""

    event: UpstreamEvent
    report: CaseReported
    facts: Facts


@dataclass(frozen=True)
class Rejection:
    """拒收记录: why an upstream event was not taken, with what came (at most 2000 chars)."""

    event_id: str | None
    reason_code: RejectReason
    reason: str
    excerpt: str

    @property
    def record_id(self) -> str:
        """A stable id to store it under: the event id, or a digest of what came without one."""
        if self.event_id is not None:
            return self.event_id
        return "sha256:" + hashlib.sha256(self.excerpt.encode()).hexdigest()[:32]


def translate(raw: object, *, tables: MappingTables, now: datetime) -> Translated | Rejection:
    """事件转换: check ``raw`` (any parsed JSON value) against the contract and map its codes."""
    if not isinstance(raw, dict):
        kind = type(raw).__name__ if raw is not None else "null"
        return _reject(raw, RejectReason.MALFORMED, f"the event must be a JSON object, not {kind}")
    try:
        event = UpstreamEvent.model_validate(raw)
    except ValidationError as error:
        return _reject(raw, RejectReason.MALFORMED, _faults(error))
    if event.reported_at_utc > now + CLOCK_SKEW:
        reason = f"reported_at: {event.reported_at.isoformat()} is in the future"
        return _reject(raw, RejectReason.MALFORMED, reason)
    rule = tables.category(event.category_code)
    if rule is None:
        reason = f"category_code {event.category_code!r} is not in the mapping table"
        return _reject(raw, RejectReason.UNKNOWN_CATEGORY, reason)
    area = tables.area(event.area_code)
    if area is None:
        reason = f"area_code {event.area_code!r} is not in the mapping table"
        return _reject(raw, RejectReason.UNKNOWN_AREA, reason)
    spot, reporter = event.location, event.reporter
    report = CaseReported(
        external_ref=event.event_id,
        channel=Channel.PLATFORM,
        category=rule.category,
        severity=rule.severity,
        title=event.title,
        description=event.description,
        location=area.location(
            address=spot.address if spot else None,
            lon=spot.lon if spot else None,
            lat=spot.lat if spot else None,
        ),
        parties=[]
        if reporter is None
        else [Party(name=reporter.name or ANONYMOUS, role="reporter", phone=reporter.phone)],
        reported_at=event.reported_at_utc,
        emergency=event.urgency == "urgent",
    )
    facts = Facts(
        event_id=event.event_id,
        phone=normalise_phone(reporter.phone if reporter else None),
        area_code=event.area_code,
        category=rule.category,
        reported_at=event.reported_at_utc,
    )
    return Translated(event=event, report=report, facts=facts)


def excerpt(raw: object) -> str:
    """What came, as JSON text cut to 2000 characters, for the rejection record."""
    try:
        text = json.dumps(raw, ensure_ascii=False, default=repr)
    except ValueError:  # a circular structure: not JSON anyway
        text = repr(raw)
    return text[:EXCERPT_CHARS]


def _reject(raw: object, code: RejectReason, reason: str) -> Rejection:
    event_id = raw.get("event_id") if isinstance(raw, dict) else None
    usable = isinstance(event_id, str) and 0 < len(event_id) <= 100
    return Rejection(
        event_id=event_id if usable else None,
        reason_code=code,
        reason=reason,
        excerpt=excerpt(raw),
    )


def _faults(error: ValidationError) -> str:
    missing = [_where(e["loc"]) for e in error.errors() if e["type"] == "missing"]
    other = [f"{_where(e['loc'])}: {e['msg']}" for e in error.errors() if e["type"] != "missing"]
    return "; ".join(([f"missing {', '.join(missing)}"] if missing else []) + other)


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "event"
