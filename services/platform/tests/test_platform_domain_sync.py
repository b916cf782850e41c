"""The sync record (同步记录): each platform event's fate, the hub's word on its case, and what
the platform is still owed — with idempotency keys a retry reuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from fengqiao.contracts.codes import Category, Outcome
from fengqiao.contracts.events import CaseClosed, CaseRegistered, CaseReported, Location
from platform_adapter.domain.codes import PlatformStatus, RejectReason, SyncState
from platform_adapter.domain.dedupe import Duplicate, Facts, New
from platform_adapter.domain.errors import IllegalTransition, InvalidRequest
from platform_adapter.domain.hub import mirror, on_hub_closed, on_hub_update, on_registered
from platform_adapter.domain.intake import Rejection, Translated
from platform_adapter.domain.outbound import acknowledged, next_push, sent
from platform_adapter.domain.push import ClosurePush, StatusPush, push_key
from platform_adapter.domain.sync import SyncRecord, admit, receive, reject
from platform_adapter.domain.upstream import UpstreamEvent

S, P = SyncState, PlatformStatus
T0 = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
MIN = timedelta(minutes=1)


def translated(event_id: str, at: datetime = T0) -> Translated:
    event = UpstreamEvent.model_validate(
        {
            "event_id": event_id,
            "seq": 1,
            "channel": "app",
            "category_code": "ZA-0101",
            "area_code": "440781105201",
            "title": "蟹塘被盗",
            "description": "",
            "reported_at": at.isoformat(),
            "urgency": "normal",
        }
    )
    report = CaseReported(
        external_ref=event_id,
        channel="platform",
        category=Category.THEFT,
        title="蟹塘被盗",
        description="",
        location=Location(town="440781105"),
        reported_at=at,
    )
    facts = Facts(event_id, "13800138000", "440781105201", Category.THEFT, at)
    return Translated(event=event, report=report, facts=facts)


def forwarded(event_id: str = "YPA-1") -> SyncRecord:
    record = receive(None, translated(event_id), T0 + MIN)
    assert record is not None
    assert admit(record, New(), T0 + MIN) is record.report
    return record


def registered(event_id: str = "YPA-1", case_id: str = "case-1") -> SyncRecord:
    record = forwarded(event_id)
    on_registered(
        record,
        CaseRegistered(
            case_id=case_id, external_ref=event_id, tracking_code="FQ1", registered_at=T0 + 2 * MIN
        ),
    )
    return record


def closed(record: SyncRecord, at: datetime) -> CaseClosed:
    return CaseClosed(
        case_id=record.case_id or "", closed_at=at, outcome=Outcome.RESOLVED, summary="已追回青蟹"
    )


def test_the_same_event_id_is_received_once_and_forwarded_once() -> None:
    record = forwarded()
    assert record.state is S.FORWARDED and record.report is not None
    assert receive(record, translated("YPA-1"), T0 + 5 * MIN) is None
    before = record.model_dump()
    with pytest.raises(IllegalTransition):
        admit(record, New(), T0 + 5 * MIN)
    assert record.model_dump() == before


def test_a_rejection_is_recorded_under_its_event_id_and_only_once() -> None:
    rejection = Rejection("YPA-9", RejectReason.UNKNOWN_AREA, "area_code '1' unknown", "{}")
    record = reject(None, rejection, T0)
    assert record is not None and record.state is S.REJECTED
    assert record.reason_code is RejectReason.UNKNOWN_AREA
    assert record.reason == "area_code '1' unknown"
    assert reject(record, rejection, T0) is None
    assert reject(None, Rejection(None, RejectReason.MALFORMED, "not an object", "1"), T0) is None
    assert next_push(record) is None and record.dedupe_facts() is None


def test_registration_gives_the_first_push_and_dedupe_facts_the_case() -> None:
    record = registered()
    assert (record.state, record.case_id, record.tracking_code) == (S.REGISTERED, "case-1", "FQ1")
    facts = record.dedupe_facts()
    assert facts is not None and facts.case_id == "case-1"
    push = next_push(record)
    assert isinstance(push, StatusPush)
    assert push.path == "/api/v1/events/YPA-1/status"
    assert push.body() == {
        "status": "received",
        "at": (T0 + 2 * MIN).isoformat(),
        "note": "",
        "case_ref": "case-1",
        "tracking_code": "FQ1",
        "duplicate_of": None,
    }
    again = CaseRegistered(
        case_id="case-1", external_ref="YPA-1", tracking_code="FQ1", registered_at=T0 + 2 * MIN
    )
    assert on_registered(record, again) is False


def test_a_retry_reuses_the_key_and_an_acknowledgement_ends_it() -> None:
    record = registered()
    push = next_push(record)
    assert push is not None
    sent(record, push)
    assert record.last_push is not None and not record.last_push.acknowledged
    retry = next_push(record)
    assert retry == push and retry.key == push_key("YPA-1", P.RECEIVED, T0 + 2 * MIN)
    acknowledged(record, push)
    assert next_push(record) is None
    on_hub_update(record, "dispatched", T0 + 10 * MIN, "已分派至派出所")
    newer = next_push(record)
    assert newer is not None and (newer.status, newer.key != push.key) == (P.ASSIGNED, True)


def test_the_key_is_the_same_instant_in_any_offset() -> None:
    china = timezone(timedelta(hours=8))
    assert push_key("E", P.ASSIGNED, T0) == push_key("E", P.ASSIGNED, T0.astimezone(china))
    assert push_key("E", P.ASSIGNED, T0) != push_key("E", P.ASSIGNED, T0, "repair:x")


def test_only_the_latest_status_is_pushed_and_older_updates_are_ignored() -> None:
    record = registered()
    on_hub_update(record, "assessed", T0 + 5 * MIN)
    on_hub_update(record, "dispatched", T0 + 9 * MIN, "派出所")
    assert on_hub_update(record, "assessed", T0 + 6 * MIN) is False
    assert on_hub_update(record, "dispatched", T0 + 9 * MIN, "派出所") is False  # redelivered
    assert [e.note for e in record.history].count("hub: dispatched") == 1
    push = next_push(record)
    assert isinstance(push, StatusPush) and (push.status, push.at, push.note) == (
        P.ASSIGNED,
        T0 + 9 * MIN,
        "派出所",
    )


def test_an_unknown_hub_status_is_refused_and_changes_nothing() -> None:
    record = registered()
    before = record.model_dump()
    with pytest.raises(InvalidRequest):
        on_hub_update(record, "teleported", T0 + 5 * MIN)
    assert record.model_dump() == before


def test_an_update_before_the_registration_waits_for_the_case_id() -> None:
    record = forwarded()
    on_hub_update(record, "dispatched", T0 + 5 * MIN)
    assert record.state is S.FORWARDED and next_push(record) is None
    on_registered(
        record,
        CaseRegistered(
            case_id="case-1", external_ref="YPA-1", tracking_code="FQ1", registered_at=T0 + 2 * MIN
        ),
    )
    push = next_push(record)
    assert push is not None and (push.status, push.case_ref) == (P.ASSIGNED, "case-1")


def test_the_closure_waits_for_its_outcome_then_is_pushed_once() -> None:
    record = registered()
    on_hub_update(record, "closed", T0 + 60 * MIN, "结案")
    assert next_push(record) is None  # the closure call needs case.closed's outcome
    assert on_hub_closed(record, closed(record, T0 + 60 * MIN)) is True
    assert record.state is S.CLOSED
    push = next_push(record)
    assert isinstance(push, ClosurePush) and push.path == "/api/v1/events/YPA-1/closure"
    assert push.body() == {
        "closed_at": (T0 + 60 * MIN).isoformat(),
        "outcome": "resolved",
        "summary": "已追回青蟹",
        "case_ref": "case-1",
    }
    acknowledged(record, push)
    assert record.closure_pushed and next_push(record) is None
    on_hub_update(record, "followed_up", T0 + 2000 * MIN)
    assert next_push(record) is None and record.state is S.CLOSED


def test_a_reopened_case_is_pushed_again_and_closed_again() -> None:
    record = registered()
    on_hub_closed(record, closed(record, T0 + 60 * MIN))
    push = next_push(record)
    assert push is not None
    acknowledged(record, push)
    on_hub_update(record, "reassessment", T0 + 3000 * MIN, "回访不满意")
    assert record.state is S.REGISTERED and record.closure is None
    reopened = next_push(record)
    assert reopened is not None and reopened.status is P.RECEIVED
    acknowledged(record, reopened)
    on_hub_closed(record, closed(record, T0 + 4000 * MIN))
    again = next_push(record)
    assert isinstance(again, ClosurePush) and again.key != push.key


def test_a_late_answer_to_an_older_push_does_not_hide_the_newer() -> None:
    record = registered()
    old = next_push(record)
    assert old is not None
    on_hub_update(record, "dispatched", T0 + 9 * MIN)
    new = next_push(record)
    assert new is not None
    acknowledged(record, new)
    acknowledged(record, old)
    assert next_push(record) is None
    assert record.last_push is not None and record.last_push.status is P.ASSIGNED


def test_a_duplicate_is_announced_then_mirrors_its_original() -> None:
    original = registered("YPA-1", "case-1")
    dup = receive(None, translated("YPA-2", T0 + 30 * MIN), T0 + 30 * MIN)
    assert dup is not None
    assert admit(dup, Duplicate(of="YPA-1", case_id="case-1"), T0 + 31 * MIN) is None
    assert dup.state is S.DUPLICATE and dup.dedupe_facts() is None
    mirror(dup, original)
    announce = next_push(dup)
    assert isinstance(announce, StatusPush)
    assert (announce.status, announce.duplicate_of, announce.case_ref) == (
        P.DUPLICATE,
        "YPA-1",
        "case-1",
    )
    acknowledged(dup, announce)
    # The original's "received" is older than the announcement: the platform would not move.
    assert next_push(dup) is None
    on_hub_update(original, "dispatched", T0 + 40 * MIN)
    assert mirror(dup, original) is True and mirror(dup, original) is False
    follow = next_push(dup)
    assert isinstance(follow, StatusPush)
    assert (follow.status, follow.duplicate_of) == (P.ASSIGNED, "YPA-1")
    on_hub_closed(original, closed(original, T0 + 90 * MIN))
    mirror(dup, original)
    assert isinstance(next_push(dup), ClosurePush)


def test_a_duplicate_of_a_case_not_yet_registered_waits_for_it() -> None:
    original = forwarded("YPA-1")
    dup = receive(None, translated("YPA-2"), T0)
    assert dup is not None
    admit(dup, Duplicate(of="YPA-1", case_id=None), T0 + MIN)
    assert next_push(dup) is None
    on_registered(
        original,
        CaseRegistered(
            case_id="case-1", external_ref="YPA-1", tracking_code="FQ1", registered_at=T0 + 2 * MIN
        ),
    )
    mirror(dup, original)
    push = next_push(dup)
    assert push is not None and (push.status, push.case_ref) == (P.DUPLICATE, "case-1")


def test_mirror_refuses_a_wrong_pair() -> None:
    original = registered("YPA-1")
    other = registered("YPA-3", "case-3")
    dup = receive(None, translated("YPA-2"), T0)
    assert dup is not None
    admit(dup, Duplicate(of="YPA-1", case_id="case-1"), T0 + MIN)
    with pytest.raises(InvalidRequest):
        mirror(dup, other)
    with pytest.raises(IllegalTransition):
        mirror(original, dup)
    with pytest.raises(IllegalTransition):
        on_hub_update(dup, "dispatched", T0 + 5 * MIN)
