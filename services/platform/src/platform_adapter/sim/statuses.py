"""Statuses pushed back to the platform (办理状态回传): idempotent, kept in a history, and never
rolled back by a late arrival."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

PlatformStatus = Literal["received", "assigned", "in_progress", "finished", "closed", "duplicate"]
Outcome = Literal["resolved", "partly_resolved", "unresolved", "referred"]
PushKind = Literal["status", "closure"]


class StatusPush(BaseModel):
    """The body of a status push (状态回传)."""

    model_config = ConfigDict(extra="ignore")

    status: PlatformStatus
    at: AwareDatetime
    note: str | None = None
    case_ref: str | None = None
    tracking_code: str | None = None
    duplicate_of: str | None = None

    @model_validator(mode="after")
    def _names_the_original(self) -> Self:
        if self.status == "duplicate" and not self.duplicate_of:
            raise ValueError("a duplicate names the event it repeats in duplicate_of")
        return self


class ClosurePush(BaseModel):
    """The body of a closure push (办结回传)."""

    model_config = ConfigDict(extra="ignore")

    closed_at: AwareDatetime
    outcome: Outcome
    summary: str = Field(min_length=1)
    case_ref: str | None = None


@dataclass
class StatusRecord:
    """The platform's view of one event's handling (平台侧办理状态)."""

    event_id: str
    status: str | None = None
    at: datetime | None = None
    case_ref: str | None = None
    tracking_code: str | None = None
    duplicate_of: str | None = None
    closure: dict[str, Any] | None = None
    version: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)

    def apply_status(self, push: StatusPush, received_at: datetime) -> dict[str, Any]:
        """Take a status (接收状态); an older one than the current only joins the history."""
        applied = self._takes(push.at)
        if applied:
            self.status, self.at = push.status, push.at
            self.case_ref = push.case_ref or self.case_ref
            self.tracking_code = push.tracking_code or self.tracking_code
            self.duplicate_of = push.duplicate_of or self.duplicate_of
        self._note("status", push.status, push.at, push.note, applied, received_at)
        return self.answer()

    def apply_closure(self, push: ClosurePush, received_at: datetime) -> dict[str, Any]:
        """Take a closure (接收办结); it closes the event unless a later status came first."""
        applied = self._takes(push.closed_at)
        if applied:
            self.status, self.at = "closed", push.closed_at
            self.case_ref = push.case_ref or self.case_ref
            self.closure = push.model_dump(mode="json")
        self._note("closure", "closed", push.closed_at, push.summary, applied, received_at)
        return self.answer()

    def answer(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "status": self.status, "version": self.version}

    def view(self) -> dict[str, Any]:
        """The answer of GET /api/v1/events/{id}/status."""
        return {
            "event_id": self.event_id,
            "status": self.status,
            "at": self.at.isoformat() if self.at else None,
            "case_ref": self.case_ref,
            "tracking_code": self.tracking_code,
            "duplicate_of": self.duplicate_of,
            "closure": self.closure,
            "history": list(self.history),
        }

    def _takes(self, at: datetime) -> bool:
        return self.at is None or at >= self.at

    def _note(
        self, kind: str, status: str, at: datetime, note: str | None, applied: bool, now: datetime
    ) -> None:
        self.version += 1  # the record changed even when only its history grew
        self.history.append(
            {
                "kind": kind,
                "status": status,
                "at": at.isoformat(),
                "note": note,
                "applied": applied,
                "received_at": now.isoformat(),
            }
        )
