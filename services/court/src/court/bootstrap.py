"""Build the court's dependencies once per process from its settings and runtime."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from court.adapters.store import Stores
from court.settings import CourtSettings
from fengqiao.clock import now_utc
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.runtime import Runtime


@dataclass
class Tribunal:
    """人民法庭: what every handler needs: the stores, the court's agency id, its settings."""

    stores: Stores
    agency: str
    settings: CourtSettings
    # Replaceable so tests can move time (time limits, overdue replies).
    clock: Callable[[], datetime] = field(default=now_utc)

    def outgoing(
        self, matter_id: str, notices: Sequence[Notice], cause: str | None
    ) -> list[OutboxMessage]:
        return notices_out(self.agency, notices, about=matter_id, cause=cause)


def court_of(runtime: Runtime) -> Tribunal:
    tribunal = runtime.state.get("court")
    if isinstance(tribunal, Tribunal):
        return tribunal
    tribunal = Tribunal(
        stores=Stores(runtime.db), agency=runtime.settings.agency_id, settings=CourtSettings()
    )
    runtime.state["court"] = tribunal
    return tribunal
