"""The sync's figures as an operator reads them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from fengqiao.circuit import CircuitState


class SyncStatus(BaseModel):
    """同步指标: throughput, errors, lag and the breaker in front of the platform."""

    pulled: int
    forwarded: int
    duplicates: int
    rejected: int
    pushed: int
    repaired: int
    pull_errors: int
    push_errors: int
    owed_pushes: int = Field(description="records that may still owe the platform a push")
    behind: bool = Field(description="the last page said more events are waiting")
    lag_s: float | None = Field(description="now minus the newest event's report time")
    last_pull_at: datetime | None
    breaker: CircuitState
