"""Upstream input too broken to name: no usable event id, so no sync record to hold it."""

from __future__ import annotations

from datetime import datetime

from fengqiao.aggregate import Aggregate
from platform_adapter.domain.codes import RejectReason


class RejectedInput(Aggregate):
    """Upstream input with no usable event id: kept with the reason, under a hash of itself."""

    reason_code: RejectReason
    reason: str
    excerpt: str
    received_at: datetime
