"""Reconciliation (对账): the platform's view compared with our record; a dropped status, an
older status, a missing closure or a wrong case reference is repaired, agreement left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fengqiao.contracts.codes import Category, Outcome
from fengqiao.contracts.events import CaseClosed, CaseRegistered, CaseReported, Location
from platform_adapter.domain.codes import PlatformStatus
from platform_adapter.domain.dedupe import Duplicate, Facts, New
from platform_adapter.domain.errors import InvalidRequest
from platform_adapter.domain.hub import mirror, on_hub_closed, on_hub_update, on_registered
from platform_adapter.domain.intake import Translated
from platform_adapter.domain.outbound import acknowledged, next_push
from platform_adapter.domain.push import ClosurePush, StatusPush
from platform_adapter.domain.reconcile import PlatformView, drift
from platform_adapter.domain.sync import SyncRecord, admit, receive
from platform_adapter.domain.upstream import UpstreamEvent

P = PlatformStatus
T0 = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
MIN = timedelta(minutes=1)


def record(event_id: str = "YPA-1", judgement: New | Duplicate | None = None) -> SyncRecord:
    event = UpstreamEvent.model_validate(
        {
            "event_id": event_id,
            "seq": 1,
            "channel": "web",
            "category_code": "MS-0402",
            "area_code": "440781105202",
            "title": "邻里噪音",
            "description": "",
            "reported_at": T0.isoformat(),
            "urgency": "normal",
        }
    )
    report = CaseReported(
        external_ref=event_id,
        channel="platform",
        category=Category.NEIGHBOUR,
        title="邻里噪音",
        description="",
        location=Location(),
        reported_at=T0,
    )
    facts = Facts(event_id, "13800138000", "440781105202", Category.NEIGHBOUR, T0)
    made = receive(None, Translated(event=event, report=report, facts=facts), T0)
    assert made is not None
    admit(made, judgement or New(), T0)
    if judgement is None:
        on_registered(
            made,
            CaseRegistered(
                case_id="case-1", external_ref=event_id, tracking_code="FQ1", registered_at=T0 + MIN
            ),
        )
    return made


def view(event_id: str = "YPA-1", **fields: Any) -> PlatformView:
    return PlatformView.model_validate({"event_id": event_id, **fields})


def shown(push: StatusPush | ClosurePush, **extra: Any) -> PlatformView:
    """The platform's view after it applied ``push``."""
    body = push.body()
    if isinstance(push, ClosurePush):
        return view(
            push.event_id,
            status="closed",
            at=body["closed_at"],
            case_ref=push.case_ref,
            closure=body,
            **extra,
        )
    return view(
        push.event_id,
        status=body["status"],
        at=body["at"],
        case_ref=push.case_ref,
        duplicate_of=push.duplicate_of,
        **extra,
    )


def test_nothing_when_both_sides_agree() -> None:
    ours = record()
    push = next_push(ours)
    assert push is not None
    assert drift(ours, shown(push)) == []


def test_a_dropped_status_is_pushed_again_under_a_fresh_key() -> None:
    ours = record()
    first = next_push(ours)
    assert first is not None
    acknowledged(ours, first)  # the platform said 200 but kept nothing
    repairs = drift(ours, view(status=None))
    assert [(p.status, p.at) for p in repairs] == [(P.RECEIVED, T0 + MIN)]
    assert repairs[0].key != first.key
    assert drift(ours, view(status=None)) == repairs  # a retry of the repair reuses its key
    acknowledged(ours, repairs[0])
    assert next_push(ours) is None


def test_an_older_status_upstream_is_brought_forward() -> None:
    ours = record()
    received = next_push(ours)
    assert received is not None
    on_hub_update(ours, "dispatched", T0 + 9 * MIN)
    repairs = drift(ours, shown(received))
    assert [p.status for p in repairs] == [P.ASSIGNED]


def test_a_later_status_upstream_is_not_rolled_back() -> None:
    ours = record()
    assert (
        drift(ours, view(status="in_progress", at=(T0 + 30 * MIN).isoformat(), case_ref="case-1"))
        == []
    )


def test_a_missing_closure_is_pushed() -> None:
    ours = record()
    on_hub_update(ours, "verified", T0 + 50 * MIN)
    finished = next_push(ours)
    assert finished is not None
    on_hub_closed(
        ours,
        CaseClosed(
            case_id="case-1", closed_at=T0 + 60 * MIN, outcome=Outcome.RESOLVED, summary="双方和解"
        ),
    )
    repairs = drift(ours, shown(finished))
    assert len(repairs) == 1 and isinstance(repairs[0], ClosurePush)
    assert repairs[0].outcome is Outcome.RESOLVED
    assert drift(ours, shown(repairs[0])) == []


def test_a_wrong_case_reference_is_corrected() -> None:
    ours = record()
    push = next_push(ours)
    assert push is not None
    wrong = shown(push).model_copy(update={"case_ref": "case-999"})
    repairs = drift(ours, wrong)
    assert [(p.status, p.case_ref) for p in repairs] == [(P.RECEIVED, "case-1")]


def test_an_event_still_without_a_case_has_nothing_to_reconcile() -> None:
    pending = record("YPA-5", New())
    assert drift(pending, view("YPA-5")) == []


def test_a_lost_duplicate_link_is_announced_again_before_the_status() -> None:
    original = record()
    dup = record("YPA-2", Duplicate(of="YPA-1", case_id="case-1"))
    mirror(dup, original)
    announce = next_push(dup)
    assert announce is not None
    acknowledged(dup, announce)
    on_hub_update(original, "dispatched", T0 + 9 * MIN)
    mirror(dup, original)
    repairs = drift(dup, view("YPA-2", status=None))
    assert len(repairs) == 2
    assert [(p.status, p.duplicate_of) for p in repairs if isinstance(p, StatusPush)] == [
        (P.DUPLICATE, "YPA-1"),
        (P.ASSIGNED, "YPA-1"),
    ]
    assert drift(dup, shown(repairs[1])) == []


def test_a_view_of_another_event_is_refused() -> None:
    with pytest.raises(InvalidRequest):
        drift(record(), view("YPA-404"))
