"""What the office starts with the process (``on_start``): no clocks of its own, only the seeding
of the directory's village advisers."""

from __future__ import annotations

from fengqiao.messaging.lifecycle import until_done
from fengqiao.runtime import Runtime
from justice.bootstrap import office_of
from justice.handlers import advisers


async def seed_advisers(runtime: Runtime) -> None:
    """At start: the directory's village advisers, unless switched off; in the background, so
    the office starts even while its store is still coming up."""
    office = office_of(runtime)
    if office.settings.seed_demo_advisers:
        seeding = until_done("village advisers", lambda: advisers.seed_advisers(office))
        runtime.background(seeding, name="justice-seed-advisers")
