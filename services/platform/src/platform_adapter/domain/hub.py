"""What the hub says about a forwarded event's case (受理回告, 流程看板, 结案), applied to its
sync record; and a duplicate's record mirroring its original's."""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.events import CaseClosed, CaseRegistered
from platform_adapter.domain.codes import HUB_TO_PLATFORM, PlatformStatus, SyncState
from platform_adapter.domain.errors import InvalidRequest
from platform_adapter.domain.sync import LINKED, Closure, SyncRecord

S = SyncState
HUB = "intake"


def on_registered(record: SyncRecord, registered: CaseRegistered) -> bool:
    """受理回告: the hub registered the event as a case; False if already known (a redelivery)."""
    if record.state in (S.REGISTERED, S.CLOSED) and record.case_id == registered.case_id:
        return False
    record.require(S.FORWARDED)
    record.case_id, record.tracking_code = registered.case_id, registered.tracking_code
    if record.hub_status_at is None or registered.registered_at >= record.hub_status_at:
        record.hub_status, record.hub_status_at = "registered", registered.registered_at
        record.hub_note = ""
    # An update that overtook the registration may have closed the case already.
    closed = record.closure is not None and _platform(record) is PlatformStatus.CLOSED
    to = S.CLOSED if closed else S.REGISTERED
    note = f"case {registered.case_id}, tracking code {registered.tracking_code}"
    record.move(to, at=registered.registered_at, actor=HUB, note=note)
    return True


def on_hub_update(record: SyncRecord, hub_status: str, at: datetime, note: str = "") -> bool:
    """流程看板: the hub's case reached ``hub_status``; False if already known or older."""
    if hub_status not in HUB_TO_PLATFORM:
        raise InvalidRequest(f"event {record.id}: unknown hub case status {hub_status!r}")
    record.require(*LINKED)
    if record.hub_status_at is not None and at < record.hub_status_at:
        return False  # overtaken by a later update; the platform shows the later one
    if (record.hub_status, record.hub_status_at) == (hub_status, at):
        return False  # a redelivery
    _set_status(record, hub_status, at, note)
    return True


def on_hub_closed(record: SyncRecord, closed: CaseClosed) -> bool:
    """结案: the hub closed the case; the closure is owed to the platform. False if known."""
    record.require(*LINKED)
    closure = Closure(closed_at=closed.closed_at, outcome=closed.outcome, summary=closed.summary)
    if record.closure == closure:
        return False
    record.closure, record.closure_pushed = closure, False
    if record.hub_status_at is None or closed.closed_at >= record.hub_status_at:
        record.hub_status, record.hub_status_at = "closed", closed.closed_at
        record.hub_note = closed.summary
    _settle(record, closed.closed_at, f"closed: {closed.outcome.value}")
    return True


def mirror(duplicate: SyncRecord, original: SyncRecord) -> bool:
    """并案同步: a duplicate shows its original's case, status and closure; False if no change."""
    duplicate.require(S.DUPLICATE)
    if duplicate.duplicate_of != original.id:
        raise InvalidRequest(
            f"event {duplicate.id} repeats {duplicate.duplicate_of}, not {original.id}"
        )
    before = duplicate.model_dump(include=_MIRRORED)
    duplicate.case_id, duplicate.tracking_code = original.case_id, original.tracking_code
    duplicate.hub_status, duplicate.hub_status_at = original.hub_status, original.hub_status_at
    duplicate.hub_note = original.hub_note
    if duplicate.closure != original.closure:
        duplicate.closure, duplicate.closure_pushed = original.closure, False
    return duplicate.model_dump(include=_MIRRORED) != before


_MIRRORED = {"case_id", "tracking_code", "hub_status", "hub_status_at", "hub_note", "closure"}


def _set_status(record: SyncRecord, hub_status: str, at: datetime, note: str) -> None:
    record.hub_status, record.hub_status_at, record.hub_note = hub_status, at, note
    _settle(record, at, f"hub: {hub_status}")


def _settle(record: SyncRecord, at: datetime, note: str) -> None:
    reopened = _platform(record) is not PlatformStatus.CLOSED
    closure, since = record.closure, record.hub_status_at
    if reopened and closure is not None and since is not None and since > closure.closed_at:
        # Reopened after closure (回访不满意): the old closure is history, a new one will come.
        record.closure, record.closure_pushed = None, False
    if record.state is S.FORWARDED:
        to = S.FORWARDED  # the case id is still to come; the status waits with it
    else:
        to = S.CLOSED if not reopened and record.closure is not None else S.REGISTERED
    record.move(to, at=at, actor=HUB, note=note)


def _platform(record: SyncRecord) -> PlatformStatus | None:
    return HUB_TO_PLATFORM.get(record.hub_status or "")
