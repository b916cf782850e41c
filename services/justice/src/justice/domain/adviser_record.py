"""The village's adviser as the office keeps it (村法律顾问档案): the current adviser and the
record of appointments, one document per village, so a replacement (换聘) leaves a trace."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.aggregate import Aggregate
from justice.domain import advisers
from justice.domain.advisers import LegalAdviser


class Appointment(BaseModel):
    """One 聘任 on the village's record: when, by whom, and whom."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    actor: str
    note: str


class AdviserRecord(Aggregate):
    """村(居)法律顾问: ``id`` is the village's 12-digit code."""

    adviser: LegalAdviser
    registered_at: datetime = Field(description="when the current adviser was registered")
    history: list[Appointment] = Field(default_factory=list)


def appoint(
    current: AdviserRecord | None,
    adviser: LegalAdviser,
    *,
    replace: bool,
    by: str,
    now: datetime,
) -> AdviserRecord:
    """聘任 / 换聘: the village's record with ``adviser``; another one only with ``replace``."""
    kept = advisers.register(current.adviser if current else None, adviser, replace=replace)
    if current is not None and kept == current.adviser:
        return current  # the same appointment again changes nothing
    note = f"聘任 {kept.name}（{kept.firm}）"
    if current is not None:
        note = f"换聘：{current.adviser.name} → {kept.name}（{kept.firm}）"
    if current is None:
        return AdviserRecord(
            id=adviser.village,
            adviser=kept,
            registered_at=now,
            history=[Appointment(at=now, actor=by, note=note)],
        )
    record = current.model_copy(deep=True)
    record.adviser, record.registered_at = kept, now
    record.history.append(Appointment(at=now, actor=by, note=note))
    return record
