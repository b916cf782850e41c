"""The one clock: every service stores UTC (and shows Asia/Shanghai at its edges)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_utc() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)
