"""CloudEvents 1.0 envelope and its Kafka binary-mode encoding.

In binary mode the attributes travel as ``ce_*`` headers and the record value is the bare data,
so any Kafka tool can read the payload and any CloudEvents SDK can read the attributes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fengqiao.contracts.registry import REGISTRY, EventData

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
MAX_EVENT_BYTES = 1_000_000
ATTRIBUTE_CHARS = 256  # ids, sources, subjects: headers stay small whatever a sender writes
EXTENSIONS = ("recipient", "correlationid", "causationid", "signature")
REQUIRED = ("id", "source", "specversion", "type")

Header = tuple[str, bytes]


class RejectReason(StrEnum):
    MISSING_ATTRIBUTE = "missing_attribute"
    INVALID_ATTRIBUTE = "invalid_attribute"
    UNSUPPORTED_SPECVERSION = "unsupported_specversion"
    UNKNOWN_TYPE = "unknown_type"
    MALFORMED_JSON = "malformed_json"
    SCHEMA_INVALID = "schema_invalid"
    TOO_LARGE = "too_large"
    HANDLER_FAILED = "handler_failed"
    REJECTED_BY_HANDLER = "rejected_by_handler"
    WEBHOOK_FAILED = "webhook_failed"


class ContractError(Exception):
    """An event that breaks the contract; ``reason`` is a stable code, ``detail`` is for people."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


class Envelope(BaseModel):
    """A CloudEvent whose data has been checked against its registered type."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1, max_length=ATTRIBUTE_CHARS)
    source: str = Field(
        min_length=1, max_length=ATTRIBUTE_CHARS, description="URI-reference of the sending agency"
    )
    type: str = Field(min_length=1, max_length=ATTRIBUTE_CHARS)
    specversion: str = SPECVERSION
    subject: str | None = Field(
        default=None, max_length=ATTRIBUTE_CHARS, description="the case id; also the Kafka key"
    )
    time: datetime
    datacontenttype: str = CONTENT_TYPE
    recipient: str | None = Field(default=None, max_length=ATTRIBUTE_CHARS)
    correlationid: str | None = Field(default=None, max_length=ATTRIBUTE_CHARS)
    causationid: str | None = Field(default=None, max_length=ATTRIBUTE_CHARS)
    signature: str | None = Field(default=None, max_length=ATTRIBUTE_CHARS)
    data: dict[str, Any]

    @property
    def key(self) -> bytes:
        return (self.subject or self.id).encode()

    @property
    def sender(self) -> str:
        """The agency id at the end of the source, ``/agencies/<id>`` (the gateway has checked
        that it is the agency whose ``out`` topic the event came from)."""
        return self.source.rstrip("/").rsplit("/", 1)[-1]

    def payload(self) -> EventData:
        """The data as its registered model (the envelope was validated against it)."""
        return parse_data(self.type, self.data)


@dataclass(frozen=True)
class KafkaRecord:
    key: bytes
    value: bytes
    headers: list[Header]


def new_envelope(
    data: EventData,
    *,
    source: str,
    subject: str | None = None,
    recipient: str | None = None,
    correlationid: str | None = None,
    causationid: str | None = None,
) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        source=source,
        type=data.event_type,
        subject=subject,
        time=datetime.now(UTC),
        recipient=recipient,
        correlationid=correlationid,
        causationid=causationid,
        data=data.model_dump(mode="json"),
    )


def parse_data(type_: str, data: Any) -> EventData:
    model = REGISTRY.model_for(type_)
    if model is None:
        raise ContractError(RejectReason.UNKNOWN_TYPE, f"no event type {type_!r} is registered")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContractError(RejectReason.SCHEMA_INVALID, _describe(exc)) from None


def to_record(envelope: Envelope) -> KafkaRecord:
    headers: list[Header] = [
        ("ce_id", envelope.id.encode()),
        ("ce_source", envelope.source.encode()),
        ("ce_specversion", envelope.specversion.encode()),
        ("ce_type", envelope.type.encode()),
        ("ce_time", envelope.time.isoformat().encode()),
        ("content-type", envelope.datacontenttype.encode()),
    ]
    if envelope.subject is not None:
        headers.append(("ce_subject", envelope.subject.encode()))
    for name in EXTENSIONS:
        value = getattr(envelope, name)
        if value is not None:
            headers.append((f"ce_{name}", value.encode()))
    value_bytes = json.dumps(envelope.data, ensure_ascii=False, separators=(",", ":")).encode()
    return KafkaRecord(key=envelope.key, value=value_bytes, headers=headers)


def from_record(value: bytes | None, headers: Sequence[tuple[str, bytes | None]]) -> Envelope:
    """Decode and check a binary-mode record; raises ContractError with the reason."""
    if value is not None and len(value) > MAX_EVENT_BYTES:
        raise ContractError(RejectReason.TOO_LARGE, f"{len(value)} bytes > {MAX_EVENT_BYTES}")
    attrs: dict[str, str] = {}
    for name, raw in headers:
        if name.startswith("ce_"):
            if raw is None:
                raise ContractError(RejectReason.INVALID_ATTRIBUTE, f"{name} has no value")
            try:
                attrs[name[3:]] = raw.decode()
            except UnicodeDecodeError:
                raise ContractError(
                    RejectReason.INVALID_ATTRIBUTE, f"{name} is not UTF-8"
                ) from None
    return from_attributes(attrs, _json(value))


def from_attributes(attrs: dict[str, Any], data: Any) -> Envelope:
    """Build an envelope from CloudEvents attributes (binary headers or structured JSON)."""
    missing = [name for name in (*REQUIRED, "time") if not attrs.get(name)]
    if missing:
        raise ContractError(RejectReason.MISSING_ATTRIBUTE, f"missing {', '.join(missing)}")
    if attrs["specversion"] != SPECVERSION:
        raise ContractError(
            RejectReason.UNSUPPORTED_SPECVERSION, f"specversion {attrs['specversion']!r} != 1.0"
        )
    parse_data(str(attrs["type"]), data)  # a dict of the type's shape from here on
    known = {"id", "source", "type", "specversion", "subject", "time", "datacontenttype"}
    try:
        return Envelope(
            **{k: v for k, v in attrs.items() if k in known or k in EXTENSIONS},
            # As sent, not as re-rendered: a signature covers the sender's bytes, and a field
            # the exchange withheld must stay absent rather than come back as its default.
            data=data,
        )
    except ValidationError as exc:
        raise ContractError(RejectReason.INVALID_ATTRIBUTE, _describe(exc)) from None


def _json(value: bytes | None) -> Any:
    if value is None:
        raise ContractError(RejectReason.MALFORMED_JSON, "the record has no value")
    try:
        return json.loads(value)
    except (ValueError, RecursionError) as exc:  # bad UTF-8, bad JSON, absurd nesting
        raise ContractError(RejectReason.MALFORMED_JSON, str(exc)[:500]) from None


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
        for err in exc.errors()[:10]
    )
