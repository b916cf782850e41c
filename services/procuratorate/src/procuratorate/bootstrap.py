"""The procuratorate's context, built once per process from its settings and runtime: what
every handler takes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from fengqiao.calendar import SHANGHAI
from fengqiao.clock import now_utc
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.runtime import Runtime
from procuratorate.adapters.store import Stores
from procuratorate.settings import ProcuratorateSettings


@dataclass
class Procuratorate:
    """What every handler needs: the stores, the procuratorate's agency id and its settings."""

    stores: Stores
    agency: str
    settings: ProcuratorateSettings
    # Replaceable so tests can move time forward (reminders, hearings).
    clock: Callable[[], datetime] = field(default=now_utc)

    def outgoing(
        self, owner_id: str, notices: Sequence[Notice], cause: str | None
    ) -> list[OutboxMessage]:
        return notices_out(self.agency, notices, about=owner_id, cause=cause)

    async def numbered(self, prefix: str, now: datetime) -> str:
        """The next id of a series, e.g. ``TZ-2026-0007`` (the local year)."""
        year = now.astimezone(SHANGHAI).year
        return f"{prefix}-{year}-{await self.stores.number(prefix, year):04d}"


def procuratorate_of(runtime: Runtime) -> Procuratorate:
    proc = runtime.state.get("procuratorate")
    if isinstance(proc, Procuratorate):
        return proc
    proc = Procuratorate(
        stores=Stores(runtime.db),
        agency=runtime.settings.agency_id,
        settings=ProcuratorateSettings(),
    )
    runtime.state["procuratorate"] = proc
    return proc
