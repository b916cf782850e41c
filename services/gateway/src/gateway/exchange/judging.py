"""The judging of one consumed record and what the router writes for it: the delivery (or the
dead letter), the audit record, and the sender's receipt (or rejection). The size and the
contract are checked here, the rest by ``domain.exchange.judge``. No Kafka here: router.py
consumes and sends the lot in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from aiokafka import ConsumerRecord
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.clock import now_utc
from fengqiao.contracts import new_envelope, topics
from fengqiao.contracts.envelope import (
    ATTRIBUTE_CHARS,
    ContractError,
    Envelope,
    Header,
    from_record,
    to_record,
)
from fengqiao.contracts.events import ExchangeReceipt, ExchangeRejected
from fengqiao.contracts.registry import EventData
from fengqiao.messaging.dlq import PREFIX, TRUNCATED_BYTES, dead_letter_headers
from fengqiao.security.signing import sign
from gateway.domain.audit import AuditEntry, AuditRecord, ChainHead, Outcome, append
from gateway.domain.exchange import Deliver, KeyOf, Refusal, Refuse, agency_source, judge
from gateway.domain.registry import Registry

AUDIT = "(audit)"  # the router sends these to its audit topic, partition 0
AUDIT_KEY = b"chain"
_TRACE = ("traceparent", "tracestate")


@dataclass(frozen=True)
class Out:
    topic: str
    key: bytes | None
    value: bytes
    headers: list[Header]


@dataclass(frozen=True)
class Exchange:
    """What the router needs to judge and answer: the registry and the gateway's identity."""

    registry: Registry
    key_of: KeyOf
    agency: str
    signing_key: Ed25519PrivateKey
    limit: int
    group: str = "fengqiao-gateway-router"  # named in dead letters


def route(
    record: ConsumerRecord,
    exchange: Exchange,
    head: ChainHead,
    now: datetime | None = None,
    trace: Sequence[Header] | None = None,
) -> tuple[list[Out], AuditRecord, ChainHead]:
    """``trace``: the trace context the outputs carry (the router's span); default: the
    record's own."""
    now = now or now_utc()
    sender = topics.agency_of(record.topic)
    headers = [(k, v) for k, v in (record.headers or ()) if v is not None]
    value = record.value or b""
    verdict: Deliver | Refuse
    envelope: Envelope | None = None
    if len(value) + sum(len(v) for _, v in headers) > exchange.limit:
        # Refused unread: parsing it is the cost to avoid.
        verdict = Refuse(Refusal.TOO_LARGE, f"{len(value)} bytes > {exchange.limit}")
    else:
        try:
            envelope = from_record(record.value, headers)
        except ContractError as error:
            verdict = Refuse(error.reason.value, error.detail)
    if envelope is not None:
        try:
            verdict = judge(
                envelope,
                sender=sender,
                size=len(value),
                limit=exchange.limit,
                registry=exchange.registry,
                key_of=exchange.key_of,
            )
        except Exception as error:  # one record must never stop the exchange for everyone
            verdict = Refuse(Refusal.GATEWAY_ERROR, f"the gateway could not judge it: {error!r}")
    # Cut to size: a refused record's attributes may be anything, and they go into the audit
    # record and the rejection.
    attrs = {
        k[3:]: v[: ATTRIBUTE_CHARS * 4].decode(errors="replace")[:ATTRIBUTE_CHARS]
        for k, v in headers
        if k.startswith("ce_")
    }
    entry = AuditEntry(
        time=now,
        event_id=attrs.get("id") or f"{record.topic}/{record.partition}/{record.offset}",
        type=attrs.get("type", ""),
        sender=sender,
        recipient=attrs.get("recipient"),
        subject=attrs.get("subject"),
        outcome=Outcome.DELIVERED if isinstance(verdict, Deliver) else Outcome.REJECTED,
        reason_code=verdict.code if isinstance(verdict, Refuse) else None,
        signature=attrs.get("signature"),
        data_hash=hashlib.sha256(value).hexdigest(),
    )
    audit, head = append(head, entry)
    outs = [Out(AUDIT, AUDIT_KEY, audit.model_dump_json().encode(), [])]
    trace = list(trace) if trace else [(k, v) for k, v in headers if k in _TRACE]
    if isinstance(verdict, Deliver):
        delivered = to_record(sign(verdict.envelope, exchange.signing_key))
        outs.append(
            Out(
                topics.inbound(verdict.recipient.id),
                delivered.key,
                delivered.value,
                delivered.headers + trace,
            )
        )
        answer: EventData = ExchangeReceipt(
            event_id=entry.event_id,
            original_type=entry.type,
            recipient=verdict.recipient.id,
            delivered_at=now,
            audit_sequence=audit.sequence,
            audit_hash=audit.hash,
        )
    else:
        outs.append(_dead_letter(record, verdict, exchange))
        answer = ExchangeRejected(
            event_id=entry.event_id,
            original_type=entry.type,
            recipient=entry.recipient,
            reason_code=verdict.code,
            reason=verdict.reason,
        )
    if exchange.registry.get(sender) is not None:
        outs.append(_answer(answer, envelope, entry, exchange, trace))
    return outs, audit, head


def _dead_letter(record: ConsumerRecord, verdict: Refuse, exchange: Exchange) -> Out:
    """The refused record as it came, unless keeping it whole could exceed what the broker
    takes: then its head, and the sizes of what was cut."""
    headers = dead_letter_headers(
        record, verdict.code, verdict.reason, group=exchange.group, attempts=0
    )
    value = record.value or b""
    if len(value) + sum(len(v) for _, v in headers) <= exchange.limit:
        return Out(topics.DLQ, record.key, value, headers)
    kept = [(k, v) for k, v in headers if len(v) <= ATTRIBUTE_CHARS * 4]
    cut = f"value {len(value)} bytes, {len(headers) - len(kept)} long headers dropped"
    return Out(
        topics.DLQ,
        (record.key or b"")[:ATTRIBUTE_CHARS],
        value[:TRUNCATED_BYTES],
        [*kept, (f"{PREFIX}truncated", cut.encode())],
    )


def _answer(
    data: EventData,
    original: Envelope | None,
    entry: AuditEntry,
    exchange: Exchange,
    trace: Sequence[Header],
) -> Out:
    envelope = new_envelope(
        data,
        source=agency_source(exchange.agency),
        subject=entry.subject,
        recipient=entry.sender,
        correlationid=original.correlationid if original else None,
        causationid=entry.event_id,
    )
    record = to_record(sign(envelope, exchange.signing_key))
    return Out(topics.inbound(entry.sender), record.key, record.value, record.headers + list(trace))
