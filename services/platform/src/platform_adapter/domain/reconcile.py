"""Reconciliation (对账): compare our record with the platform's view of the event and say
which pushes repair the difference — a dropped status, a status the platform holds older than
ours, a missing closure, a wrong case reference, a lost duplicate link. Nothing when they agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from platform_adapter.domain.codes import PlatformStatus, SyncState
from platform_adapter.domain.errors import InvalidRequest
from platform_adapter.domain.outbound import announcement, wanted
from platform_adapter.domain.push import ClosurePush, Push
from platform_adapter.domain.sync import SyncRecord


class ViewClosure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    closed_at: AwareDatetime | None = None
    outcome: str | None = None


class PlatformView(BaseModel):
    """平台侧状态: the answer of ``GET /api/v1/events/{event_id}/status``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str
    status: PlatformStatus | None = None
    at: AwareDatetime | None = None
    case_ref: str | None = None
    duplicate_of: str | None = None
    closure: ViewClosure | None = None
    history: list[Any] = Field(default_factory=list)

    def fingerprint(self) -> str:
        """What the platform showed; salts repair keys, so a retry of a repair reuses its key."""
        closed_at = self.closure.closed_at if self.closure else None
        parts = (self.status, _iso(self.at), self.case_ref, self.duplicate_of, _iso(closed_at))
        return "repair:" + "|".join("" if p is None else str(p) for p in parts)


def drift(record: SyncRecord, view: PlatformView) -> list[Push]:
    """对账差异: the pushes that bring the platform in line with our record, in sending order."""
    if view.event_id != record.id:
        raise InvalidRequest(f"the platform's view is of {view.event_id}, not {record.id}")
    salt = view.fingerprint()
    repairs: list[Push] = []
    if record.state is SyncState.DUPLICATE and view.duplicate_of != record.duplicate_of:
        announce = announcement(record, salt)
        repairs += [announce] if announce else []
    latest = wanted(record)
    if latest is None or latest.status is PlatformStatus.DUPLICATE:
        return repairs  # nothing shown yet, or only the announcement, handled above
    if not _shows(view, latest):
        repairs.append(_salted(record, salt))
    return repairs


def _shows(view: PlatformView, push: Push) -> bool:
    """Does the platform already show what ``push`` says (or something later)?"""
    if view.case_ref != push.case_ref:
        return False
    if isinstance(push, ClosurePush):
        closed_at = view.closure.closed_at if view.closure else None
        return view.status is PlatformStatus.CLOSED and closed_at == push.closed_at
    if view.status is None or view.at is None:
        return False
    if view.at != push.at:
        # A later status upstream is not ours to roll back; an earlier one is a dropped push.
        return view.at > push.at
    return view.status is push.status


def _salted(record: SyncRecord, salt: str) -> Push:
    push = wanted(record, salt)
    assert push is not None  # called only when the unsalted one exists
    return push


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None
