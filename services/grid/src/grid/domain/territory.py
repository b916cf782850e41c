"""The territory (辖区): city → county → town → village/community → grid (市/县/镇/村(社区)/网格).

Every unit has an administrative code; a grid must have a polygon, higher units may (a town's
polygon can reach into the sea, where there is no grid). The seed ``duhu_territory.yaml`` holds a
demo town modelled on 都斛镇 (台山市, 江门市) with its 26 grids.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fengqiao.contracts.codes import Level
from fengqiao.contracts.events import Location
from grid.domain.errors import TerritoryInvalid, UnknownUnit
from grid.domain.geometry import Geometry, touches

SEED_FILE = "duhu_territory.yaml"


class AdminUnit(BaseModel):
    """One administrative unit (行政区划单元) with its code (区划代码)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[0-9]{6,15}$")
    name: str = Field(min_length=1, max_length=100)
    level: Level
    parent: str | None = None
    geometry: Geometry | None = None


class Grid(AdminUnit):
    """A grid (网格): the smallest unit, the patch one worker answers for. Needs a polygon."""

    level: Level = Level.GRID
    geometry: Geometry


class Territory:
    """A validated, read-only territory with lookups by code and by location."""

    def __init__(self, units: Iterable[AdminUnit]) -> None:
        listed = list(units)
        self._units = {u.code: u for u in listed}
        problems = _problems(listed, self._units)
        if problems:
            raise TerritoryInvalid(problems)
        self.grids: list[Grid] = sorted(
            (u for u in listed if isinstance(u, Grid)), key=lambda g: g.code
        )
        self._bbox = {g.code: g.geometry.bbox() for g in self.grids}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Territory:
        problems: list[str] = []
        units: list[AdminUnit] = []
        for raw in data.get("units") or ():
            try:
                model = Grid if raw.get("level") == Level.GRID.value else AdminUnit
                units.append(model.model_validate(raw))
            except ValidationError as error:
                problems.append(f"unit {raw.get('code')!r}: {error.errors()[0]['msg']}")
        if problems:
            raise TerritoryInvalid(problems)
        return cls(units)

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def unit(self, code: str) -> AdminUnit:
        try:
            return self._units[code]
        except KeyError:
            raise UnknownUnit(f"no unit with code {code!r} in the territory") from None

    def grid(self, code: str) -> Grid:
        unit = self.unit(code)
        if not isinstance(unit, Grid):
            raise UnknownUnit(f"{code!r} is a {unit.level.value}, not a grid")
        return unit

    def children(self, code: str) -> list[AdminUnit]:
        return sorted((u for u in self._units.values() if u.parent == code), key=lambda u: u.code)

    def chain(self, code: str) -> list[AdminUnit]:
        """The unit and every unit above it, lowest first (grid, village, town, county, city)."""
        units = [self.unit(code)]
        while (parent := units[-1].parent) is not None:
            units.append(self._units[parent])
        return units

    def grids_at(self, lon: float, lat: float) -> list[Grid]:
        """Every grid holding the point: more than one only on a shared edge or corner."""
        return [
            g
            for g in self.grids
            if _in_box(self._bbox[g.code], lon, lat) and g.geometry.contains(lon, lat)
        ]

    def grid_at(self, lon: float, lat: float) -> Grid | None:
        """The grid holding the point; on a shared edge the lowest code wins, so it is stable."""
        found = self.grids_at(lon, lat)
        return found[0] if found else None

    def locate(self, lon: float, lat: float) -> list[AdminUnit]:
        """The chain above the lowest unit whose polygon holds the point; [] outside them all.

        At sea off the coast this is the town and up: in the town's waters, in no grid."""
        if (grid := self.grid_at(lon, lat)) is not None:
            return self.chain(grid.code)
        for level in list(Level)[1:]:
            for unit in sorted(self._units.values(), key=lambda u: u.code):
                if unit.level is level and unit.geometry and unit.geometry.contains(lon, lat):
                    return self.chain(unit.code)
        return []

    def location(
        self, code: str, *, lon: float | None = None, lat: float | None = None
    ) -> Location:
        """The event contracts' Location for a unit: its code and every code above it."""
        codes = {u.level.value: u.code for u in self.chain(code)}
        return Location(
            city=codes.get("city"),
            county=codes.get("county"),
            town=codes.get("town"),
            village=codes.get("village"),
            grid=codes.get("grid"),
            lon=lon,
            lat=lat,
        )

    def neighbours(self, code: str) -> list[Grid]:
        """Grids sharing an edge or a corner with this one: candidates for its A/B partner."""
        grid = self.grid(code)
        return [g for g in self.grids if g.code != code and touches(g.geometry, grid.geometry)]


def _in_box(box: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    west, south, east, north = box
    return west - 1e-9 <= lon <= east + 1e-9 and south - 1e-9 <= lat <= north + 1e-9


def _problems(units: list[AdminUnit], by_code: Mapping[str, AdminUnit]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for unit in units:
        if unit.code in seen:
            problems.append(f"code {unit.code} is used twice")
        seen.add(unit.code)
        if (unit.level is Level.GRID) != isinstance(unit, Grid):
            problems.append(f"{unit.code}: only a grid, and every grid, has a Grid's polygon")
        if unit.parent is None:
            if unit.level is Level.GRID:
                problems.append(f"grid {unit.code} has no parent")
            continue
        parent = by_code.get(unit.parent)
        if parent is None:
            problems.append(f"{unit.level.value} {unit.code}: parent {unit.parent} is unknown")
        elif parent.level is not unit.level.above():
            problems.append(
                f"{unit.level.value} {unit.code}: parent {parent.code} is a {parent.level.value},"
                f" expected a {unit.level.above().value}"
            )
    if not any(u.level is Level.GRID for u in units):
        problems.append("the territory has no grid")
    return problems


def load_territory(data: Mapping[str, Any] | None = None) -> Territory:
    """The given territory, or the bundled demo territory (都斛镇) when ``data`` is None."""
    return Territory.from_mapping(data) if data is not None else _demo_territory()


@functools.cache
def _demo_territory() -> Territory:
    return Territory.from_mapping(seed())


@functools.cache
def _seed_text() -> str:
    return resources.files("grid.domain").joinpath(SEED_FILE).read_text(encoding="utf-8")


def seed() -> dict[str, Any]:
    """The demo seed as a fresh mapping: ``units`` (the territory) and ``roster`` (its people)."""
    data: dict[str, Any] = yaml.safe_load(_seed_text())
    return data
