"""The exchange's judgement and the router's output for one record, without a broker."""

from __future__ import annotations

import json

from aiokafka import ConsumerRecord
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.contracts import Envelope, topics
from fengqiao.contracts.codes import AgencyKind
from fengqiao.contracts.envelope import from_record, to_record
from fengqiao.security.signing import verify
from gateway.domain.audit import ChainHead
from gateway.domain.audit import verify as verify_chain
from gateway.domain.exchange import Deliver, Refuse, judge
from gateway.domain.registry import Agency
from gateway.exchange.judging import AUDIT, Exchange, route
from gatewaykit import Exchange as Agencies
from samples import sample

AGENCIES = Agencies()
HUB = AGENCIES.of_kind(AgencyKind.HUB).id
GRID = AGENCIES.of_kind(AgencyKind.GRID).id
DEPT = AGENCIES.id("dept-labour")
GATEWAY_KEY = Ed25519PrivateKey.generate()


def key_of(agency: Agency) -> object:
    return AGENCIES.keys[agency.id].public_key()


def judged(envelope: Envelope, sender: str = HUB, limit: int = 10_000) -> Deliver | Refuse:
    return judge(
        envelope,
        sender=sender,
        size=len(to_record(envelope).value),
        limit=limit,
        registry=AGENCIES.registry,
        key_of=key_of,  # type: ignore[arg-type]
    )


def transfer(recipient: str = GRID) -> Envelope:
    return AGENCIES.envelope(HUB, sample("case.transferred.v1"), recipient=recipient, subject="c")


def test_an_allowed_signed_event_is_delivered_whole() -> None:
    verdict = judged(transfer())
    assert isinstance(verdict, Deliver)
    assert verdict.recipient.id == GRID
    assert verdict.envelope.data["parties"][0]["phone"]  # the grid's profile hides nothing


def test_refusals_name_their_reason() -> None:
    event = transfer()
    unsigned = event.model_copy(update={"signature": None})
    altered = event.model_copy(update={"subject": "another-case"})
    no_recipient = event.model_copy(update={"recipient": None})
    cases = [
        ("bad_signature", judged(unsigned)),
        ("bad_signature", judged(altered)),
        ("source_mismatch", judged(event, sender=GRID)),
        ("missing_recipient", judged(no_recipient)),
        ("too_large", judged(event, limit=100)),
        ("unknown_recipient", judged(transfer(recipient="nobody-here"))),
    ]
    for code, verdict in cases:
        assert isinstance(verdict, Refuse), code
        assert verdict.code == code
        assert verdict.reason


def test_a_department_sees_only_the_fields_its_profile_names() -> None:
    profile = {
        "case.transferred.v1": [
            "case_id",
            "assignment_id",
            "category",
            "severity",
            "action",
            "lead",
            "title",
            "summary",
            "location",
            "due_at",
            "accept_by",
            "parties.name",
            "parties.role",
        ]
    }
    for n, agency in enumerate(AGENCIES.agencies):
        if agency.id == DEPT:
            AGENCIES.agencies[n] = agency.model_copy(update={"visible_fields": profile})
    verdict = judged(transfer(recipient=DEPT))
    assert isinstance(verdict, Deliver)
    assert verdict.envelope.data["parties"] == [{"name": "张三", "role": "applicant"}]
    assert "phone" in transfer().data["parties"][0]


def record_of(envelope: Envelope, sender: str = HUB, offset: int = 0) -> ConsumerRecord:
    kafka = to_record(envelope)
    return ConsumerRecord(
        topics.outbound(sender),
        0,
        offset,
        0,
        0,
        kafka.key,
        kafka.value,
        None,
        len(kafka.key),
        len(kafka.value),
        kafka.headers,
    )


EXCHANGE = Exchange(
    registry=AGENCIES.registry,
    key_of=key_of,  # type: ignore[arg-type]
    agency=AGENCIES.id("gateway"),
    signing_key=GATEWAY_KEY,
    limit=100_000,
)


def test_a_routed_event_goes_out_countersigned_with_its_audit_record_and_receipt() -> None:
    event = transfer()
    outs, audit, head = route(record_of(event), EXCHANGE, ChainHead())
    assert [o.topic for o in outs] == [AUDIT, topics.inbound(GRID), topics.inbound(HUB)]
    delivered = from_record(outs[1].value, outs[1].headers)
    assert delivered.id == event.id and delivered.data == event.data
    verify(delivered, GATEWAY_KEY.public_key())  # countersigned by the gateway
    receipt = from_record(outs[2].value, outs[2].headers)
    assert receipt.type == "exchange.receipt.v1"
    assert receipt.data["audit_sequence"] == 0 and receipt.data["audit_hash"] == audit.hash
    assert receipt.causationid == event.id
    assert head.next_sequence == 1 and head.last_hash == audit.hash


def test_an_undecodable_record_is_dead_lettered_chained_and_answered() -> None:
    broken = record_of(transfer())
    broken.value = b"{not json"
    outs, audit, _ = route(broken, EXCHANGE, ChainHead())
    assert [o.topic for o in outs] == [AUDIT, topics.DLQ, topics.inbound(HUB)]
    assert dict(outs[1].headers)["dlq_reason"] == b"malformed_json"
    assert outs[1].value == b"{not json"  # kept as it came
    assert audit.outcome == "rejected" and audit.reason_code == "malformed_json"
    rejection = from_record(outs[2].value, outs[2].headers)
    assert rejection.data["reason_code"] == "malformed_json"


def test_the_audit_records_of_a_run_form_a_chain() -> None:
    head, records = ChainHead(), []
    for n in range(5):
        outs, _, head = route(record_of(transfer(), offset=n), EXCHANGE, head)
        records.append(json.loads(outs[0].value))
    assert verify_chain(records) == (5, None)


def test_a_record_with_outsized_attributes_is_refused_and_kept_within_bounds() -> None:
    event = transfer()
    record = record_of(event)
    record.headers = [(k, b"x" * 400_000 if k == "ce_subject" else v) for k, v in record.headers]
    outs, audit, _ = route(record, EXCHANGE, ChainHead())
    assert audit.reason_code == "too_large"
    assert len(audit.subject or "") <= 256
    for out in outs:  # nothing the router writes could exceed what the broker takes
        assert len(out.value) + sum(len(v) for _, v in out.headers) < 200_000
    assert dict(outs[1].headers)["dlq_truncated"].startswith(b"value")


def test_an_unusable_enrolled_key_refuses_the_event_instead_of_stopping_the_router() -> None:
    def broken_key(agency: Agency) -> object:
        raise ValueError("not an Ed25519 public key: bad length")

    verdict = judge(
        transfer(),
        sender=HUB,
        size=100,
        limit=10_000,
        registry=AGENCIES.registry,
        key_of=broken_key,  # type: ignore[arg-type]
    )
    assert isinstance(verdict, Refuse) and verdict.code == "no_public_key"
