"""A valid payload of every event type, for tests that send each type through the exchange."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fengqiao.contracts.registry import REGISTRY, EventData

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
_PLACE = {"town": "440781100", "village": "440781100201", "address": "都斛镇莲塘村"}


def sample(event_type: str, case_id: str = "c-1", assignment_id: str = "a-1") -> EventData:
    """The sample payload of ``event_type`` about ``case_id``."""
    at = NOW.isoformat()
    assignment = {"case_id": case_id, "assignment_id": assignment_id}
    data: dict[str, dict[str, Any]] = {
        "case.reported.v1": {
            "external_ref": f"r-{case_id}",
            "channel": "grid",
            "category": "neighbour",
            "title": "邻里纠纷",
            "description": "围墙越界",
            "location": _PLACE,
            "reported_at": at,
        },
        "case.registered.v1": {
            "case_id": case_id,
            "external_ref": f"r-{case_id}",
            "tracking_code": "FQ0123456789",
            "registered_at": at,
        },
        "case.transferred.v1": {
            **assignment,
            "category": "neighbour",
            "severity": "general",
            "action": "mediate",
            "lead": True,
            "title": "邻里纠纷",
            "summary": "请调解",
            "location": _PLACE,
            "parties": [{"name": "张三", "phone": "13800138000", "id_number": "x"}],
            "due_at": (NOW + timedelta(days=7)).isoformat(),
            "accept_by": (NOW + timedelta(days=1)).isoformat(),
        },
        "case.accepted.v1": {**assignment, "accepted_at": at, "handler": "李调解"},
        "case.returned.v1": {
            **assignment,
            "returned_at": at,
            "reason_code": "not_ours",
            "reason": "不属本单位职责",
        },
        "case.progressed.v1": {**assignment, "at": at, "note": "已约双方面谈"},
        "case.feedback.v1": {**assignment, "at": at, "outcome": "resolved", "summary": "已和解"},
        "case.closed.v1": {
            "case_id": case_id,
            "closed_at": at,
            "outcome": "resolved",
            "summary": "结案",
        },
        "case.updated.v1": {
            "case_id": case_id,
            "external_ref": "YPA-2026-000001",
            "status": "dispatched",
            "at": at,
        },
        "case.supervised.v1": {
            "case_id": case_id,
            "clock": "finish",
            "card": "yellow",
            "due_at": at,
            "level": "town",
            "notice": "请加快办理",
        },
        "case.escalated.v1": {
            "case_id": case_id,
            "from_level": "village",
            "to_level": "town",
            "at": at,
            "reason": "逾期",
        },
        "exchange.receipt.v1": {
            "event_id": "e-1",
            "original_type": "case.accepted.v1",
            "recipient": "x",
            "delivered_at": at,
            "audit_sequence": 0,
            "audit_hash": "0" * 64,
        },
        "exchange.rejected.v1": {
            "event_id": "e-1",
            "original_type": "case.accepted.v1",
            "reason_code": "x",
            "reason": "x",
        },
    }
    model = REGISTRY.model_for(event_type)
    assert model is not None, event_type
    return model.model_validate(data[event_type])


def every_type() -> list[str]:
    return REGISTRY.types()
