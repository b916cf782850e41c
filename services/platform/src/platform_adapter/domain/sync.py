"""The sync record (同步记录): what became of one platform event, keyed by its ``event_id``.

received → forwarded (sent to the hub as ``case.reported``) → registered (the hub's case) ⇄
closed (a reopened case goes back to registered); or received → duplicate (attached to an
earlier event's case) or rejected. Because the record's id is the event id, the same event never
makes two cases. ``hub`` applies what the hub says about the case; ``outbound`` says what the
platform still has to be told.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import CaseReported
from platform_adapter.domain.codes import PlatformStatus, RejectReason, SyncState
from platform_adapter.domain.dedupe import Duplicate, Facts, New
from platform_adapter.domain.errors import IllegalTransition, InvalidRequest
from platform_adapter.domain.intake import Rejection, Translated

S = SyncState
LINKED = frozenset({S.FORWARDED, S.REGISTERED, S.CLOSED})  # the event made (or makes) a case


class Entry(BaseModel):
    """One step on the record (同步流水): when, who, what state it left, and why."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    state: SyncState
    actor: str
    note: str | None = None


class Closure(BaseModel):
    """结案: the hub's closure of the case, as the platform is to be told it."""

    model_config = ConfigDict(frozen=True)

    closed_at: datetime
    outcome: Outcome
    summary: str


class PushMark(BaseModel):
    """The last push sent to the platform (最近回传) and whether the platform acknowledged it."""

    model_config = ConfigDict(frozen=True)

    status: PlatformStatus
    at: datetime
    key: str
    acknowledged: bool


class SyncRecord(Aggregate):
    state: SyncState = S.RECEIVED
    received_at: datetime
    facts: Facts | None = None
    report: CaseReported | None = Field(default=None, description="what the hub was sent")
    case_id: str | None = None
    tracking_code: str | None = None
    duplicate_of: str | None = None
    duplicate_at: datetime | None = None
    reason_code: RejectReason | None = None
    reason: str | None = None
    excerpt: str | None = None
    hub_status: str | None = Field(default=None, description="the hub's latest case status")
    hub_status_at: datetime | None = None
    hub_note: str = ""
    closure: Closure | None = None
    last_push: PushMark | None = None
    duplicate_pushed: bool = False
    closure_pushed: bool = False
    history: list[Entry] = Field(default_factory=list)

    def dedupe_facts(self) -> Facts | None:
        """去重要素 of an event that made (or is making) a case; None for any other."""
        if self.facts is None or self.state not in LINKED:
            return None
        return replace(self.facts, case_id=self.case_id)

    def move(self, to: SyncState, *, at: datetime, actor: str, note: str | None = None) -> None:
        self.history.append(Entry(at=at, state=to, actor=actor, note=note))
        self.state = to

    def require(self, *states: SyncState) -> None:
        """Refuse, before anything changes, a step this state does not allow."""
        if self.state not in states:
            allowed = ", ".join(s.value for s in states)
            raise IllegalTransition(f"event {self.id} is {self.state.value}, not {allowed}")


def receive(
    existing: SyncRecord | None, translated: Translated, now: datetime
) -> SyncRecord | None:
    """接收: a record for a new event; None if this event id was seen before (never twice)."""
    if existing is not None:
        return None
    record = SyncRecord(id=translated.facts.event_id, received_at=now, facts=translated.facts)
    record.report = translated.report
    record.move(S.RECEIVED, at=now, actor="platform")
    return record


def reject(existing: SyncRecord | None, rejection: Rejection, now: datetime) -> SyncRecord | None:
    """拒收: the record of a rejected event; None if it has no usable id or was seen before."""
    if existing is not None or rejection.event_id is None:
        return None
    record = SyncRecord(id=rejection.event_id, received_at=now)
    record.reason_code, record.reason = rejection.reason_code, rejection.reason
    record.excerpt = rejection.excerpt
    record.move(
        S.REJECTED, at=now, actor="adapter", note=f"{rejection.reason_code}: {rejection.reason}"
    )
    return record


def admit(record: SyncRecord, judgement: New | Duplicate, at: datetime) -> CaseReported | None:
    """转报或并案: forward a new event (returns the report to send) or attach a duplicate."""
    record.require(S.RECEIVED)
    if isinstance(judgement, Duplicate):
        if judgement.of == record.id:
            raise InvalidRequest(f"event {record.id} cannot be a duplicate of itself")
        record.duplicate_of, record.duplicate_at = judgement.of, at
        record.case_id = judgement.case_id
        record.move(S.DUPLICATE, at=at, actor="adapter", note=f"duplicate of {judgement.of}")
        return None
    record.move(S.FORWARDED, at=at, actor="adapter")
    return record.report
