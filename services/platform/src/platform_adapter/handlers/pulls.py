"""拉取, one event at a time: each upstream event is translated (or recorded as a rejection with
its reason), de-duplicated, and forwarded to the hub as ``case.reported`` in the same commit as
its sync record."""

from __future__ import annotations

import logging
from datetime import timedelta

from fengqiao.storage import ConcurrencyError
from platform_adapter.bootstrap import Adapter
from platform_adapter.domain import sync
from platform_adapter.domain.dedupe import Duplicate, judge
from platform_adapter.domain.hub import mirror
from platform_adapter.domain.intake import Rejection, translate
from platform_adapter.domain.rejections import RejectedInput

log = logging.getLogger(__name__)


async def take(adapter: Adapter, raw: object) -> None:
    """One upstream event, whatever it holds; never raises for bad input."""
    now = adapter.clock()
    records = adapter.stores.records
    result = translate(raw, tables=adapter.tables, now=now)
    if isinstance(result, Rejection):
        await reject(adapter, result)
        return
    record = sync.receive(await records.find(result.facts.event_id), result, now)
    if record is None:
        return  # seen before: the same event id never makes two cases
    newest = adapter.figures.newest_reported_at
    if newest is None or result.facts.reported_at > newest:
        adapter.figures.newest_reported_at = result.facts.reported_at
    window = timedelta(hours=adapter.settings.duplicate_window_h)
    judgement = judge(result.facts, await adapter.stores.recent_like(result.facts, window), window)
    report = sync.admit(record, judgement, now)
    if isinstance(judgement, Duplicate):
        original = await records.find(judgement.of)
        if original is not None:
            mirror(record, original)
        adapter.figures.duplicates += 1
    else:
        adapter.figures.forwarded += 1
    events = [] if report is None else [adapter.to_hub(report, subject=record.id)]
    try:
        await records.add(record, events)
    except ConcurrencyError:
        return  # another replica took the same event first
    adapter.owed.add(record.id)


async def reject(adapter: Adapter, rejection: Rejection) -> None:
    adapter.figures.rejected += 1
    log.info("rejected upstream input: %s %s", rejection.reason_code, rejection.reason)
    now = adapter.clock()
    stores = adapter.stores
    existing = None if rejection.event_id is None else await stores.records.find(rejection.event_id)
    record = sync.reject(existing, rejection, now)
    try:
        if record is not None:
            await stores.records.add(record)
        elif (
            rejection.event_id is None and await stores.rejections.find(rejection.record_id) is None
        ):
            kept = RejectedInput(
                id=rejection.record_id,
                reason_code=rejection.reason_code,
                reason=rejection.reason,
                excerpt=rejection.excerpt,
                received_at=now,
            )
            await stores.rejections.add(kept)
    except ConcurrencyError:
        pass  # recorded already
