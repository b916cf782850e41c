"""The demo town's roster (都斛派出所): the units a fresh station starts with.

Positions lie around the town centre (about lon 112.9, lat 21.9), spread so that the 1-, 3-
and 5-minute circles all occur in the demo: a car at the station, foot patrols on the market
street, community officers out in the villages.
"""

from __future__ import annotations

import contextlib

from fengqiao.storage import ConcurrencyError, Repository
from police.domain.units import Unit, UnitKind

K = UnitKind
DEMO_UNITS: tuple[Unit, ...] = (
    Unit(id="u-car-01", call_sign="都斛巡01", kind=K.PATROL_CAR, lon=112.900, lat=21.900),
    Unit(id="u-car-02", call_sign="都斛巡02", kind=K.PATROL_CAR, lon=112.915, lat=21.912),
    Unit(id="u-foot-01", call_sign="都斛步01", kind=K.FOOT_PATROL, lon=112.903, lat=21.904),
    Unit(
        id="u-comm-01",
        call_sign="社区民警 李",
        kind=K.COMMUNITY_POLICE,
        lon=112.880,
        lat=21.930,
        beat="G07",
    ),
    Unit(
        id="u-comm-02",
        call_sign="社区民警 陈",
        kind=K.COMMUNITY_POLICE,
        lon=112.930,
        lat=21.880,
        beat="G15",
    ),
    Unit(id="u-aux-01", call_sign="辅警 黄", kind=K.AUXILIARY, lon=112.890, lat=21.895),
)


async def seed(units: Repository[Unit], roster: tuple[Unit, ...] = DEMO_UNITS) -> None:
    """Add the units not on the roster yet; one already there keeps its state and position."""
    for unit in roster:
        if await units.find(unit.id) is None:
            # Another replica seeding at the same moment added it first: that is the same unit.
            with contextlib.suppress(ConcurrencyError):
                await units.add(unit)
