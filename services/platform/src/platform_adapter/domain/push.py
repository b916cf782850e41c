"""What the adapter sends back to the platform (状态回传): a status, or the closure.

Every push carries an idempotency key derived from the event, the status and its time, so a
retry of the same push reuses the key and the platform applies it at most once, while a new
status gets a new key. Reconciliation salts the key: a repair must not reuse a key the platform
may already have spent on a push it then lost.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from fengqiao.contracts.codes import Outcome
from platform_adapter.domain.codes import PlatformStatus


def push_key(event_id: str, status: PlatformStatus, at: datetime, salt: str = "") -> str:
    """幂等键: the same event, status and time (and salt) always give the same key."""
    instant = at.astimezone(UTC).isoformat()
    digest = hashlib.sha256(f"{event_id}\n{status.value}\n{instant}\n{salt}".encode())
    return f"fq-{digest.hexdigest()[:40]}"


class _Push(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_id: str
    key: str
    case_ref: str


class StatusPush(_Push):
    """状态推送: ``POST /api/v1/events/{event_id}/status``."""

    kind: Literal["status"] = "status"
    status: PlatformStatus
    at: datetime
    note: str = ""
    tracking_code: str | None = None
    duplicate_of: str | None = None

    @property
    def path(self) -> str:
        return f"/api/v1/events/{quote(self.event_id, safe='')}/status"

    def body(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "at": self.at.isoformat(),
            "note": self.note,
            "case_ref": self.case_ref,
            "tracking_code": self.tracking_code,
            "duplicate_of": self.duplicate_of,
        }


class ClosurePush(_Push):
    """结案推送: ``POST /api/v1/events/{event_id}/closure``; the platform shows it closed."""

    kind: Literal["closure"] = "closure"
    closed_at: datetime
    outcome: Outcome
    summary: str

    @property
    def status(self) -> PlatformStatus:
        return PlatformStatus.CLOSED

    @property
    def at(self) -> datetime:
        return self.closed_at

    @property
    def path(self) -> str:
        return f"/api/v1/events/{quote(self.event_id, safe='')}/closure"

    def body(self) -> dict[str, Any]:
        return {
            "closed_at": self.closed_at.isoformat(),
            "outcome": self.outcome.value,
            "summary": self.summary,
            "case_ref": self.case_ref,
        }


Push = StatusPush | ClosurePush
