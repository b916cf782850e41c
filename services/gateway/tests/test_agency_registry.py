"""The registry's policy: who may send what to whom, who receives what, and what they see."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from gateway.domain.registry import Refusal, Registry

HUB_TYPES = ["case.transferred.v1", "case.supervised.v1", "case.escalated.v1", "case.closed.v1"]
FORCE_TYPES = [
    "case.accepted.v1",
    "case.returned.v1",
    "case.progressed.v1",
    "case.feedback.v1",
    "case.reported.v1",
]


def agency(id_: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": id_, "name_zh": id_, "name_en": id_, "kind": kind, "level": "town", **extra}


REGISTRY = Registry.model_validate(
    {
        "version": "test",
        "agencies": [
            agency(
                "intake",
                "hub",
                sends=[{"type": "case.*", "to": ["police", "department"]}],
                receives=FORCE_TYPES,
            ),
            agency(
                "police",
                "police",
                sends=[{"type": "case.feedback.v1", "to": ["hub"]}],
                receives=HUB_TYPES,
                visible_fields={"case.transferred.v1": ["case_id", "assignment_id", "title"]},
            ),
            agency(
                "dept-labour",
                "department",
                receives=["case.transferred.v1"],
                delivery="webhook",
                webhook_url="https://labour.example.gov.cn/hooks/fengqiao",
            ),
            agency("court", "court", disabled=True, receives=HUB_TYPES),
        ],
    }
)


@pytest.mark.parametrize(
    ("sender", "event_type", "recipient", "refusal"),
    [
        ("intake", "case.transferred.v1", "police", None),
        ("intake", "case.transferred.v1", "dept-labour", None),
        ("police", "case.feedback.v1", "intake", None),
        ("police", "case.transferred.v1", "intake", Refusal.NOT_ALLOWED_TO_SEND),
        ("intake", "case.closed.v1", "dept-labour", Refusal.NOT_ALLOWED_TO_RECEIVE),
        ("intake", "case.transferred.v1", "court", Refusal.DISABLED),
        ("nobody", "case.feedback.v1", "intake", Refusal.UNKNOWN_SENDER),
        ("intake", "case.transferred.v1", "nobody", Refusal.UNKNOWN_RECIPIENT),
    ],
)
def test_who_may_send_what_to_whom(
    sender: str, event_type: str, recipient: str, refusal: Refusal | None
) -> None:
    verdict = REGISTRY.check(sender, event_type, recipient)
    assert (verdict[0] if verdict else None) is refusal


def test_minimisation_keeps_only_the_fields_a_recipient_may_see() -> None:
    police = REGISTRY.get("police")
    labour = REGISTRY.get("dept-labour")
    assert police is not None and labour is not None
    data = {
        "case_id": "c1",
        "assignment_id": "c1-1",
        "title": "t",
        "parties": [{"name": "张三", "id_number": "11010519491231002X"}],
    }
    assert police.minimise("case.transferred.v1", data) == {
        "case_id": "c1",
        "assignment_id": "c1-1",
        "title": "t",
    }
    assert labour.minimise("case.transferred.v1", data) == data


@pytest.mark.parametrize(
    "bad",
    [
        {"agencies": [agency("Intake", "hub")]},
        {"agencies": [agency("intake", "ministry")]},
        {"agencies": [agency("dept-x", "department", delivery="webhook")]},
        {"agencies": [agency("intake", "hub"), agency("intake", "hub")]},
        {"agencies": [agency("intake", "hub", sends=[{"type": "case.*", "to": []}])]},
        {"agencies": [agency("intake", "hub", public_key="not-a-key")]},
        {"agencies": [agency("intake", "hub", public_key="AAAA")]},  # base64, but 3 bytes
    ],
)
def test_a_bad_registry_is_refused_with_the_reason(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Registry.model_validate({"version": "t", **bad})
