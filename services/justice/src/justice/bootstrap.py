"""Build the office's dependencies once per process from its settings and runtime."""

from __future__ import annotations

import yaml

from fengqiao.messaging.lifecycle import until_done
from fengqiao.runtime import Runtime
from justice import handlers_aid
from justice.adapters.store import Stores
from justice.domain.directory import Directory, load_directory
from justice.handlers import Office
from justice.settings import JusticeSettings


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


async def seed_advisers(runtime: Runtime) -> None:
    """At start: the directory's village advisers, unless switched off; in the background, so
    the office starts even while its store is still coming up."""
    office = office_of(runtime)
    if office.settings.seed_demo_advisers:
        seeding = until_done("village advisers", lambda: handlers_aid.seed_advisers(office))
        runtime.background(seeding, name="justice-seed-advisers")
