"""The one retry of a step that lost a race: load the latest state, judge the step against it
again, save; the versioned save refuses a write over a newer one (optimistic concurrency)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fengqiao.storage.errors import ConcurrencyError

T = TypeVar("T")
ATTEMPTS = 10


async def retry_on_conflict(
    attempt: Callable[[], Awaitable[T]], *, what: str, attempts: int = ATTEMPTS
) -> T:
    """Run ``attempt`` — which must reload what it changes — until its save is not beaten by a
    concurrent one; after ``attempts`` tries, a ConcurrencyError naming ``what``."""
    for n in range(attempts):
        try:
            return await attempt()
        except ConcurrencyError:
            await asyncio.sleep(min(0.5, 0.01 * 2**n))
    raise ConcurrencyError(f"{what} kept changing; try again")
