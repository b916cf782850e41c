"""The office's context, built once per process from its settings and runtime: what every
handler takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.runtime import Runtime
from justice.adapters.store import Stores
from justice.domain.confirmation import Court
from justice.domain.directory import Directory, load_directory
from justice.settings import JusticeSettings


@dataclass
class Office:
    """What every handler needs: the stores, the directory, the agency id and the settings."""

    stores: Stores
    directory: Directory
    agency: str
    settings: JusticeSettings

    @property
    def court(self) -> Court:
        s = self.settings
        return Court(
            agency=s.court_agency,
            accept_within=s.court_accept_within,
            decide_within=s.court_decide_within,
        )

    def outgoing(
        self, record_id: str, notices: Sequence[Notice], cause: str | None
    ) -> list[OutboxMessage]:
        return notices_out(self.agency, notices, about=record_id, cause=cause)


def directory_of(settings: JusticeSettings) -> Directory:
    """The configured directory file, checked, or the demo town's (都斛镇)."""
    if settings.directory_file is None:
        return load_directory()
    return load_directory(yaml.safe_load(settings.directory_file.read_text(encoding="utf-8")))


def office_of(runtime: Runtime) -> Office:
    office = runtime.state.get("office")
    if isinstance(office, Office):
        return office
    settings = JusticeSettings()
    office = Office(
        stores=Stores(runtime.db),
        directory=directory_of(settings),
        agency=runtime.settings.agency_id,
        settings=settings,
    )
    runtime.state["office"] = office
    return office
