"""What the platform still has to be told about an event (待回传), and its acknowledgement.

The platform shows the latest state only, so only the latest is pushed: a status the hub has
already moved past is never sent. A duplicate is first announced as ``duplicate`` with the
event it repeats; then it follows its original's case like any other event.
"""

from __future__ import annotations

from platform_adapter.domain.codes import HUB_TO_PLATFORM, PlatformStatus, SyncState
from platform_adapter.domain.push import ClosurePush, Push, StatusPush, push_key
from platform_adapter.domain.sync import Entry, PushMark, SyncRecord


def wanted(record: SyncRecord, salt: str = "") -> Push | None:
    """应回传: what the platform should show now, acknowledged or not; None if nothing yet."""
    if record.case_id is None:
        return None  # the platform gets our case reference with the first push
    if record.state is SyncState.DUPLICATE and not record.duplicate_pushed:
        return announcement(record, salt)
    if record.hub_status is None or record.hub_status_at is None:
        return None
    status = HUB_TO_PLATFORM[record.hub_status]
    if status is PlatformStatus.CLOSED:
        closure = record.closure
        if closure is None:
            return None  # case.closed carries the outcome the closure call needs
        return ClosurePush(
            event_id=record.id,
            key=push_key(record.id, status, closure.closed_at, salt),
            case_ref=record.case_id,
            closed_at=closure.closed_at,
            outcome=closure.outcome,
            summary=closure.summary,
        )
    return StatusPush(
        event_id=record.id,
        key=push_key(record.id, status, record.hub_status_at, salt),
        case_ref=record.case_id,
        status=status,
        at=record.hub_status_at,
        note=record.hub_note,
        tracking_code=record.tracking_code,
        duplicate_of=record.duplicate_of,
    )


def announcement(record: SyncRecord, salt: str = "") -> StatusPush | None:
    """重复件告知: the ``duplicate`` push naming the event this one repeats."""
    if record.duplicate_of is None or record.duplicate_at is None or record.case_id is None:
        return None
    at = record.duplicate_at
    return StatusPush(
        event_id=record.id,
        key=push_key(record.id, PlatformStatus.DUPLICATE, at, salt),
        case_ref=record.case_id,
        status=PlatformStatus.DUPLICATE,
        at=at,
        note=f"重复件，与 {record.duplicate_of} 为同一事项",
        tracking_code=record.tracking_code,
        duplicate_of=record.duplicate_of,
    )


def next_push(record: SyncRecord) -> Push | None:
    """待回传: the push still owed; None when the platform acknowledged this state or a later one.

    Asking again before the acknowledgement returns the same push with the same key.
    """
    push = wanted(record)
    return None if push is None or _settled(record.last_push, push) else push


def sent(record: SyncRecord, push: Push) -> None:
    """已发送: note the push as sent, unacknowledged (for lag and error metrics)."""
    if _settled(record.last_push, push):
        return
    record.last_push = PushMark(status=push.status, at=push.at, key=push.key, acknowledged=False)


def acknowledged(record: SyncRecord, push: Push) -> None:
    """平台已确认: the platform answered 2xx to ``push``; a late answer to an older one is kept
    in the history but does not hide a newer push."""
    if push.status is PlatformStatus.DUPLICATE:
        record.duplicate_pushed = True
    if isinstance(push, ClosurePush) and record.closure and push.at == record.closure.closed_at:
        record.closure_pushed = True
    last = record.last_push
    if last is None or not last.acknowledged or push.at >= last.at:
        mark = PushMark(status=push.status, at=push.at, key=push.key, acknowledged=True)
        record.last_push = mark
    note = f"platform acknowledged {push.status.value} at {push.at.isoformat()}"
    record.history.append(Entry(at=push.at, state=record.state, actor="platform", note=note))


def _settled(mark: PushMark | None, push: Push) -> bool:
    # Compared by what the platform shows, not by key (a reconciliation repair is salted). A
    # push older than one acknowledged would not move the platform's status: nothing to send.
    if mark is None or not mark.acknowledged:
        return False
    return push.at < mark.at or (push.at == mark.at and push.status is mark.status)
