"""The event registry: every type the exchange needs, each a frozen, strict, versioned model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from fengqiao.contracts import REGISTRY, EventData
from fengqiao.contracts.codes import Action, Category, Channel, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseFeedback,
    CaseProgressed,
    CaseReported,
    CaseReturned,
    CaseTransferred,
    ExchangeReceipt,
    ExchangeRejected,
    Location,
)
from fengqiao.contracts.registry import EventRegistry

AT = datetime(2025, 3, 14, 8, 30, tzinfo=UTC)

REQUIRED_TYPES = [
    "case.reported.v1",
    "case.transferred.v1",
    "case.accepted.v1",
    "case.returned.v1",
    "case.progressed.v1",
    "case.feedback.v1",
    "case.closed.v1",
    "exchange.receipt.v1",
    "exchange.rejected.v1",
]

SAMPLES: dict[str, EventData] = {
    "case.reported.v1": CaseReported(
        external_ref="grid-1",
        channel=Channel.GRID,
        category=Category.THEFT,
        title="青蟹被盗",
        description="Mud crabs stolen.",
        location=Location(town="都斛镇"),
        reported_at=AT,
    ),
    "case.transferred.v1": CaseTransferred(
        case_id="case-1",
        assignment_id="asg-1",
        category=Category.THEFT,
        severity=Severity.GENERAL,
        action=Action.INVESTIGATE,
        lead=True,
        title="青蟹被盗",
        summary="Investigate the theft.",
        location=Location(town="都斛镇"),
        due_at=AT,
        accept_by=AT,
    ),
    "case.accepted.v1": CaseAccepted(
        case_id="case-1", assignment_id="asg-1", accepted_at=AT, handler="都斛派出所"
    ),
    "case.returned.v1": CaseReturned(
        case_id="case-1",
        assignment_id="asg-1",
        returned_at=AT,
        reason_code="not_ours",
        reason="Not within our jurisdiction.",
    ),
    "case.progressed.v1": CaseProgressed(
        case_id="case-1", assignment_id="asg-1", at=AT, note="Visited the pond."
    ),
    "case.feedback.v1": CaseFeedback(
        case_id="case-1",
        assignment_id="asg-1",
        at=AT,
        outcome=Outcome.RESOLVED,
        summary="Compensation agreed.",
    ),
    "case.closed.v1": CaseClosed(
        case_id="case-1", closed_at=AT, outcome=Outcome.RESOLVED, summary="Closed."
    ),
    "exchange.receipt.v1": ExchangeReceipt(
        event_id="evt-1",
        original_type="case.transferred.v1",
        recipient="police",
        delivered_at=AT,
        audit_sequence=0,
        audit_hash="0" * 64,
    ),
    "exchange.rejected.v1": ExchangeRejected(
        event_id="evt-1",
        original_type="case.transferred.v1",
        reason_code="schema_invalid",
        reason="title: Field required",
    ),
}


def test_samples_cover_the_required_types() -> None:
    assert sorted(SAMPLES) == sorted(REQUIRED_TYPES)


@pytest.mark.parametrize("type_", REQUIRED_TYPES)
def test_required_type_is_registered(type_: str) -> None:
    model = REGISTRY.model_for(type_)

    assert model is not None, f"{type_} is not registered"
    assert model.event_type == type_
    assert type_ in REGISTRY.types()
    assert isinstance(SAMPLES[type_], model)


def test_types_are_listed_sorted() -> None:
    assert REGISTRY.types() == sorted(REGISTRY.types())


def test_unknown_type_has_no_model() -> None:
    assert REGISTRY.model_for("case.vanished.v1") is None


@pytest.mark.parametrize("type_", REQUIRED_TYPES)
def test_model_is_frozen(type_: str) -> None:
    sample = SAMPLES[type_]
    field = next(iter(type(sample).model_fields))
    before = getattr(sample, field)

    with pytest.raises(ValidationError):
        setattr(sample, field, before)

    assert getattr(sample, field) == before


@pytest.mark.parametrize("type_", REQUIRED_TYPES)
def test_model_forbids_unknown_fields(type_: str) -> None:
    model = type(SAMPLES[type_])
    data = SAMPLES[type_].model_dump(mode="json")
    assert model.model_validate(data) == SAMPLES[type_]

    with pytest.raises(ValidationError) as caught:
        model.model_validate({**data, "smuggled": 1})

    assert caught.value.errors()[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize("type_", REQUIRED_TYPES)
def test_json_schema_is_an_object_schema(type_: str) -> None:
    model = type(SAMPLES[type_])

    schema = REGISTRY.json_schema(type_)

    assert schema["type"] == "object"
    assert set(schema["properties"]) == set(model.model_fields)
    assert schema["additionalProperties"] is False
    assert set(schema.get("required", [])) <= set(schema["properties"])


def test_json_schema_of_unknown_type_raises() -> None:
    with pytest.raises(KeyError):
        REGISTRY.json_schema("case.vanished.v1")


def test_registering_a_type_twice_raises() -> None:
    registry = EventRegistry()

    @registry.register("test.thing.v1")
    class First(EventData):
        value: int = 0

    class Second(EventData):
        value: int = 0

    with pytest.raises(ValueError, match="twice"):
        registry.register("test.thing.v1")(Second)

    assert registry.model_for("test.thing.v1") is First
    assert registry.types() == ["test.thing.v1"]


@pytest.mark.parametrize("type_", ["test.thing", "test.thing.1", "thing"])
def test_a_type_without_a_version_suffix_raises(type_: str) -> None:
    registry = EventRegistry()

    class Unversioned(EventData):
        value: int = 0

    with pytest.raises(ValueError, match="version"):
        registry.register(type_)(Unversioned)

    assert registry.types() == []


@pytest.mark.parametrize("type_", ["test.verified", "test.v", "test.vx"])
def test_a_last_segment_starting_with_v_is_not_a_version(type_: str) -> None:
    registry = EventRegistry()

    class Unversioned(EventData):
        value: int = 0

    try:
        registry.register(type_)(Unversioned)
    except ValueError:
        return
    pytest.fail(
        f"BUG in fengqiao/contracts/registry.py (EventRegistry.register): {type_!r} was accepted "
        "as versioned because the check is only `last_segment.startswith('v')`; it should "
        r"require `.v<digits>`, e.g. re.fullmatch(r'v\d+', last_segment)"
    )


def test_a_versioned_type_is_accepted_by_a_fresh_registry() -> None:
    registry = EventRegistry()

    @registry.register("test.thing.v12")
    class Thing(EventData):
        value: int = 0

    assert Thing.event_type == "test.thing.v12"
    assert registry.model_for("test.thing.v12") is Thing
    assert REGISTRY.model_for("test.thing.v12") is None, "a fresh registry must not leak"
