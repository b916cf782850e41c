"""回传: a push the platform is owed — a hub status, the closure, a duplicate's link — sent with
its idempotency key behind the circuit breaker; and 对账 (reconciliation): each side compared,
and whatever the platform lost pushed again."""

from __future__ import annotations

import contextlib
import logging

from fengqiao.storage import ConcurrencyError
from platform_adapter.adapters.platform_client import PlatformRefused, PlatformUnavailable
from platform_adapter.adapters.store import SYNCED
from platform_adapter.bootstrap import Adapter
from platform_adapter.domain import outbound
from platform_adapter.domain.errors import DomainError
from platform_adapter.domain.push import Push
from platform_adapter.domain.reconcile import PlatformView, drift
from platform_adapter.domain.sync import SyncRecord

log = logging.getLogger(__name__)


async def send(adapter: Adapter, record: SyncRecord, push: Push) -> float | None:
    """Send one push and note its acknowledgement; a wait in seconds if the platform failed."""
    if not adapter.may_call():
        return adapter.settings.push_interval_s
    try:
        await adapter.client.push(push.path, push.body(), key=push.key)
    except PlatformUnavailable as error:
        adapter.figures.push_errors += 1
        log.warning("push %s for %s failed: %s", push.status, record.id, error)
        return adapter.went_wrong()
    except PlatformRefused as error:
        adapter.figures.push_errors += 1
        adapter.owed.discard(record.id)  # no retry will change the answer; reconciliation looks
        log.error("the platform refused push %s for %s: %s", push.status, record.id, error)
        return None
    adapter.went_well()
    adapter.figures.pushed += 1
    outbound.acknowledged(record, push)
    # Changed meanwhile: the next pass re-reads it; the same key makes a resend harmless.
    with contextlib.suppress(ConcurrencyError):
        await adapter.stores.records.save(record)
    return None


async def reconcile(adapter: Adapter) -> int:
    """对账: compare every synced record with the platform's view and repair the drift;
    returns how many pushes it took."""
    repaired = 0
    for record in await adapter.stores.where({"state": {"$in": SYNCED}}):
        if record.case_id is None or not adapter.may_call():
            continue
        try:
            view = PlatformView.model_validate(await adapter.client.status(record.id))
            pushes = drift(record, view)
        except (PlatformUnavailable, PlatformRefused, DomainError, ValueError) as error:
            adapter.figures.push_errors += 1
            log.warning("could not compare %s with the platform: %s", record.id, error)
            continue
        for push in pushes:
            if await send(adapter, record, push) is None:
                repaired += 1
        adapter.owed.add(record.id)
    adapter.figures.repaired += repaired
    return repaired
