"""The platform's book of pushes received (回传台账): each key answered once, every call kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from platform_adapter.sim.statuses import ClosurePush, PushKind, StatusPush, StatusRecord


@dataclass(frozen=True)
class Push:
    """One status or closure call the platform received (回传记录), replays included."""

    kind: PushKind
    event_id: str
    key: str
    body: dict[str, Any]
    received_at: datetime
    replay: bool


class StatusBook:
    """Each event's status record, the answers given per idempotency key, and every push."""

    def __init__(self) -> None:
        self.records: dict[str, StatusRecord] = {}
        self.pushes: list[Push] = []
        self._answers: dict[tuple[PushKind, str, str], dict[str, Any]] = {}

    def take(
        self,
        kind: PushKind,
        event_id: str,
        key: str,
        body: StatusPush | ClosurePush,
        now: datetime,
    ) -> dict[str, Any]:
        """Apply a push (接收回传); the same key again answers the first answer, changes nothing."""
        first = self._answers.get((kind, event_id, key))
        dumped = body.model_dump(mode="json")
        self.pushes.append(Push(kind, event_id, key, dumped, now, first is not None))
        if first is not None:
            return first
        record = self.records.setdefault(event_id, StatusRecord(event_id))
        if isinstance(body, StatusPush):
            answer = record.apply_status(body, now)
        else:
            answer = record.apply_closure(body, now)
        self._answers[(kind, event_id, key)] = answer
        return answer

    def view(self, event_id: str) -> dict[str, Any]:
        """What GET /api/v1/events/{id}/status answers (status null until one is pushed)."""
        return self.records.get(event_id, StatusRecord(event_id)).view()
