"""Village legal advisers (一村一法律顾问): one record per village, owing nothing to other
agencies."""

from __future__ import annotations

import contextlib

from fengqiao.clock import now_utc
from fengqiao.storage import ConcurrencyError, retry_on_conflict
from justice.bootstrap import Office
from justice.domain import adviser_record
from justice.domain.adviser_record import AdviserRecord
from justice.domain.advisers import LegalAdviser


async def appoint_adviser(
    office: Office, *, adviser: LegalAdviser, replace: bool, by: str, attempts: int = 10
) -> AdviserRecord:
    """聘任 / 换聘 the village's legal adviser."""
    repository = office.stores.advisers

    async def attempt() -> AdviserRecord:
        current = await repository.find(adviser.village)
        record = adviser_record.appoint(current, adviser, replace=replace, by=by, now=now_utc())
        if record is current:
            return record
        if current is None:
            return await repository.add(record)
        return await repository.save(record)

    what = f"village {adviser.village}'s adviser"
    return await retry_on_conflict(attempt, what=what, attempts=attempts)


async def seed_advisers(office: Office) -> None:
    """The directory's advisers, for villages that have none on record yet."""
    for adviser in office.directory.advisers:
        if await office.stores.advisers.find(adviser.village) is None:
            record = adviser_record.appoint(None, adviser, replace=False, by="seed", now=now_utc())
            with contextlib.suppress(ConcurrencyError):  # another replica seeded it first
                await office.stores.advisers.add(record)
