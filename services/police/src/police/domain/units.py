"""Police units (警力): patrol cars, foot patrols, community police (社区民警) and auxiliary
police (辅警), each with its last known position and a duty status.

The nearest available unit decides which rapid-response circle an incident can be held to
(see ``response``), so the choice must be reproducible: equal distances go to the lower id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import CodeList
from fengqiao.geo import haversine_m
from police.domain.errors import IllegalTransition


class UnitKind(CodeList):
    PATROL_CAR = ("patrol_car", "巡逻车", "patrol car")
    FOOT_PATROL = ("foot_patrol", "徒步巡逻", "foot patrol")
    COMMUNITY_POLICE = ("community_police", "社区民警", "community police officer")
    AUXILIARY = ("auxiliary", "辅警", "auxiliary police officer")


class UnitStatus(CodeList):
    AVAILABLE = ("available", "待命", "available")
    DISPATCHED = ("dispatched", "出警途中", "dispatched")
    ON_SCENE = ("on_scene", "现场处置", "on scene")
    OFF_DUTY = ("off_duty", "下勤", "off duty")


U = UnitStatus
ALLOWED: dict[UnitStatus, frozenset[UnitStatus]] = {
    U.AVAILABLE: frozenset({U.DISPATCHED, U.OFF_DUTY}),
    # A unit recalled on the way (another took over) is free again without arriving.
    U.DISPATCHED: frozenset({U.ON_SCENE, U.AVAILABLE}),
    U.ON_SCENE: frozenset({U.AVAILABLE}),
    U.OFF_DUTY: frozenset({U.AVAILABLE}),
}


class Unit(Aggregate):
    """One unit the station can send: a car crew, a foot patrol, an officer."""

    call_sign: str = Field(min_length=1, max_length=40, description="e.g. 都斛巡01")
    kind: UnitKind
    status: UnitStatus = U.AVAILABLE
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    beat: str | None = Field(default=None, description="警格: the grid code it is bound to")

    def move(self, to: UnitStatus) -> None:
        if to not in ALLOWED[self.status]:
            raise IllegalTransition(
                f"unit {self.id} is {self.status.value}; it cannot become {to.value}"
            )
        self.status = to

    def distance_m(self, lon: float, lat: float) -> float:
        return haversine_m(self.lon, self.lat, lon, lat)


@dataclass(frozen=True)
class Nearest:
    unit: Unit
    metres: float


def nearest_available(
    units: Iterable[Unit], lon: float, lat: float, *, kinds: Iterable[UnitKind] | None = None
) -> Nearest | None:
    """The closest available unit (of ``kinds``, if given), or None when none is free.

    Distances are compared to the centimetre so that float noise between two equally placed
    units cannot decide; the lower id wins a tie.
    """
    wanted = frozenset(kinds) if kinds is not None else None
    candidates = [
        Nearest(u, u.distance_m(lon, lat))
        for u in units
        if u.status is U.AVAILABLE and (wanted is None or u.kind in wanted)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda n: (round(n.metres, 2), n.unit.id))
