"""CloudEvents 1.0 in Kafka binary mode: encoding, decoding and every way a record is rejected."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from fengqiao.contracts import ContractError, Envelope, RejectReason, new_envelope
from fengqiao.contracts.codes import Action, Category, Channel, Outcome, Severity
from fengqiao.contracts.envelope import (
    MAX_EVENT_BYTES,
    Header,
    KafkaRecord,
    from_attributes,
    from_record,
    to_record,
)
from fengqiao.contracts.events import (
    CaseFeedback,
    CaseReported,
    CaseTransferred,
    Location,
    Party,
)

REPORTED_AT = datetime(2025, 3, 14, 8, 30, 15, 123456, tzinfo=UTC)


def _reported(**changes: object) -> CaseReported:
    fields: dict[str, object] = {
        "external_ref": "grid-0001",
        "channel": Channel.GRID,
        "category": Category.THEFT,
        "severity": Severity.GENERAL,
        "title": "青蟹被盗",
        "description": "Mud crabs stolen from a pond overnight.",
        "location": Location(town="都斛镇", village="南村", grid="G07", lon=112.9, lat=22.1),
        "parties": [Party(name="陈大文", phone="13800000000")],
        "reported_at": REPORTED_AT,
    }
    fields.update(changes)
    return CaseReported.model_validate(fields)


def _envelope() -> Envelope:
    """A case.reported.v1 event with every optional attribute set."""
    envelope = new_envelope(
        _reported(),
        source="/agencies/grid",
        subject="case-1",
        recipient="intake",
        correlationid="corr-1",
        causationid="cause-1",
    )
    return envelope.model_copy(update={"signature": "sig-1"})


def _record() -> KafkaRecord:
    return to_record(_envelope())


def _without(headers: list[Header], name: str) -> list[Header]:
    kept = [(k, v) for k, v in headers if k != name]
    assert len(kept) == len(headers) - 1, f"the record had no {name} header"
    return kept


def _replaced(headers: list[Header], name: str, value: bytes) -> list[Header]:
    return [*_without(headers, name), (name, value)]


def _reject(value: bytes | None, headers: list[Header]) -> ContractError:
    with pytest.raises(ContractError) as caught:
        from_record(value, headers)
    return caught.value


def test_round_trip_keeps_every_attribute_and_the_data() -> None:
    envelope = _envelope()
    record = to_record(envelope)

    decoded = from_record(record.value, record.headers)

    assert decoded.id == envelope.id
    assert decoded.source == "/agencies/grid"
    assert decoded.type == "case.reported.v1"
    assert decoded.specversion == "1.0"
    assert decoded.subject == "case-1"
    assert decoded.time == envelope.time
    assert decoded.recipient == "intake"
    assert decoded.correlationid == "corr-1"
    assert decoded.causationid == "cause-1"
    assert decoded.signature == "sig-1"
    assert decoded.datacontenttype == "application/json"
    assert decoded.data == envelope.data
    assert decoded == envelope
    assert decoded.payload() == _reported()


def test_round_trip_without_optional_attributes() -> None:
    envelope = new_envelope(_reported(), source="/agencies/grid", subject="case-2")
    record = to_record(envelope)

    decoded = from_record(record.value, record.headers)

    assert decoded == envelope
    assert decoded.recipient is None
    assert decoded.correlationid is None
    assert decoded.causationid is None
    names = {name for name, _ in record.headers}
    assert not names & {"ce_recipient", "ce_correlationid", "ce_causationid", "ce_signature"}


@pytest.mark.parametrize(
    "data",
    [
        CaseTransferred(
            case_id="case-3",
            assignment_id="asg-1",
            category=Category.LAND_RURAL,
            severity=Severity.MAJOR,
            action=Action.PRE_LITIGATION_MEDIATION,
            lead=True,
            title="承包地边界",
            summary="Boundary of contracted land.",
            location=Location(county="台山市", town="都斛镇"),
            due_at=REPORTED_AT,
            accept_by=REPORTED_AT,
        ),
        CaseFeedback(
            case_id="case-3",
            assignment_id="asg-1",
            at=REPORTED_AT,
            outcome=Outcome.RESOLVED,
            summary="Agreement signed.",
        ),
    ],
    ids=lambda data: data.event_type,
)
def test_round_trip_of_other_event_types(data: CaseTransferred | CaseFeedback) -> None:
    envelope = new_envelope(data, source="/agencies/intake", subject="case-3")
    record = to_record(envelope)

    decoded = from_record(record.value, record.headers)

    assert decoded == envelope
    assert decoded.payload() == data


def test_binary_mode_layout() -> None:
    envelope = _envelope()
    record = to_record(envelope)
    headers = dict(record.headers)

    assert record.key == b"case-1", "the Kafka key is the subject (the case id)"
    assert json.loads(record.value) == envelope.data
    assert headers["ce_id"] == envelope.id.encode()
    assert headers["ce_type"] == b"case.reported.v1"
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_subject"] == b"case-1"
    assert headers["content-type"] == b"application/json"
    assert "青蟹被盗".encode() in record.value, "non-ASCII text should travel as UTF-8, not escaped"


def test_key_falls_back_to_the_event_id_without_a_subject() -> None:
    envelope = new_envelope(_reported(), source="/agencies/grid")

    assert to_record(envelope).key == envelope.id.encode()


@pytest.mark.parametrize("header", ["ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time"])
def test_missing_required_attribute_is_rejected(header: str) -> None:
    record = _record()

    error = _reject(record.value, _without(record.headers, header))

    assert error.reason is RejectReason.MISSING_ATTRIBUTE
    attribute = header.removeprefix("ce_")
    assert re.search(rf"\b{attribute}\b", error.detail), error.detail


@pytest.mark.parametrize("header", ["ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time"])
def test_empty_required_attribute_counts_as_missing(header: str) -> None:
    record = _record()

    error = _reject(record.value, _replaced(record.headers, header, b""))

    assert error.reason is RejectReason.MISSING_ATTRIBUTE
    assert header.removeprefix("ce_") in error.detail


def test_unknown_type_is_rejected() -> None:
    record = _record()

    error = _reject(record.value, _replaced(record.headers, "ce_type", b"case.vanished.v1"))

    assert error.reason is RejectReason.UNKNOWN_TYPE
    assert "case.vanished.v1" in error.detail


def test_data_failing_its_schema_is_rejected_with_the_field_path() -> None:
    record = _record()
    data = json.loads(record.value)
    data["location"]["lat"] = 500

    error = _reject(json.dumps(data).encode(), record.headers)

    assert error.reason is RejectReason.SCHEMA_INVALID
    assert "location.lat" in error.detail


def test_data_missing_a_field_is_rejected_with_its_name() -> None:
    record = _record()
    data = json.loads(record.value)
    del data["title"]

    error = _reject(json.dumps(data).encode(), record.headers)

    assert error.reason is RejectReason.SCHEMA_INVALID
    assert re.search(r"\btitle\b", error.detail), error.detail


def test_data_with_an_unknown_field_is_rejected() -> None:
    record = _record()
    data = {**json.loads(record.value), "smuggled": "x"}

    error = _reject(json.dumps(data).encode(), record.headers)

    assert error.reason is RejectReason.SCHEMA_INVALID
    assert "smuggled" in error.detail


@pytest.mark.parametrize(
    "value",
    [b"{not json", b"", b"\xff\xfe\xfd", None],
    ids=["broken", "empty", "not-utf8", "none"],
)
def test_a_value_that_is_not_json_is_rejected(value: bytes | None) -> None:
    error = _reject(value, _record().headers)

    assert error.reason is RejectReason.MALFORMED_JSON


def test_oversize_value_is_rejected() -> None:
    record = _record()

    error = _reject(b" " * (MAX_EVENT_BYTES + 1), record.headers)

    assert error.reason is RejectReason.TOO_LARGE


def test_value_of_exactly_the_limit_is_accepted() -> None:
    record = _record()
    padded = record.value + b" " * (MAX_EVENT_BYTES - len(record.value))
    assert len(padded) == MAX_EVENT_BYTES

    assert from_record(padded, record.headers).data == json.loads(record.value)


def test_unsupported_specversion_is_rejected() -> None:
    record = _record()

    error = _reject(record.value, _replaced(record.headers, "ce_specversion", b"0.3"))

    assert error.reason is RejectReason.UNSUPPORTED_SPECVERSION
    assert "0.3" in error.detail


def test_non_utf8_header_is_rejected() -> None:
    record = _record()

    error = _reject(record.value, _replaced(record.headers, "ce_subject", b"\xff\xfe"))

    assert error.reason is RejectReason.INVALID_ATTRIBUTE
    assert "ce_subject" in error.detail


def test_unparseable_time_is_rejected() -> None:
    record = _record()

    error = _reject(record.value, _replaced(record.headers, "ce_time", b"yesterday"))

    assert error.reason is RejectReason.INVALID_ATTRIBUTE
    assert "time" in error.detail


def test_headers_that_are_not_cloudevents_attributes_are_ignored() -> None:
    envelope = _envelope()
    record = to_record(envelope)
    headers = [*record.headers, ("traceparent", b"00-abc-def-01"), ("x-other", b"\xff")]

    assert from_record(record.value, headers) == envelope


def test_from_attributes_reads_a_structured_mode_event() -> None:
    envelope = _envelope()
    structured = json.loads(envelope.model_dump_json())
    assert structured["time"], "structured mode carries the time as a JSON string"

    decoded = from_attributes(structured, structured["data"])

    assert decoded == envelope


def test_from_attributes_applies_the_same_checks() -> None:
    structured = json.loads(_envelope().model_dump_json())
    del structured["source"]

    with pytest.raises(ContractError) as caught:
        from_attributes(structured, structured["data"])

    assert caught.value.reason is RejectReason.MISSING_ATTRIBUTE
    assert "source" in caught.value.detail


def test_contract_error_message_carries_the_reason_code() -> None:
    error = ContractError(RejectReason.TOO_LARGE, "2000000 bytes")

    assert str(error) == "too_large: 2000000 bytes"
    assert error.reason == "too_large"
