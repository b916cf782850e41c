"""The territory (辖区): point-in-polygon, grid lookup on the 都斛镇 demo, validation, roster."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from fengqiao.contracts.codes import Level
from fengqiao.contracts.events import Location
from grid.domain.duty import grid_of
from grid.domain.errors import OutsideTerritory, RosterInvalid, TerritoryInvalid, UnknownUnit
from grid.domain.geometry import MultiPolygon, Polygon, rectangle, touches
from grid.domain.roster import load_roster
from grid.domain.territory import Territory, load_territory, seed

DUHU = load_territory()
TOWN = "440781105"
LIANHU_1 = "440781105201001"  # 莲湖村第一网格, lon 112.84–112.86, lat 21.94–21.97
LIANHU_2 = "440781105201002"
SEA = (112.93, 21.86)  # south of the coast: the town's waters, where the oyster rafts are


# ----- point in polygon -------------------------------------------------------------------

SQUARE_WITH_HOLE = Polygon(
    coordinates=[
        [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)],
        [(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)],
    ]
)
# An L: the ray from (1, 2) to the east passes the reflex vertex (2, 2) exactly.
L_SHAPE = Polygon(coordinates=[[(0, 0), (4, 0), (4, 2), (2, 2), (2, 4), (0, 4), (0, 0)]])


@pytest.mark.parametrize(
    ("point", "inside"),
    [
        ((1, 1), True),
        ((5, 5), False),  # in the hole
        ((4, 5), True),  # on the hole's edge: the polygon's boundary
        ((4, 4), True),  # a hole's corner
        ((0, 5), True),  # on the outer edge
        ((10, 10), True),  # an outer corner
        ((10.000001, 5), False),
        ((-1, 5), False),
    ],
)
def test_polygon_with_hole(point: tuple[float, float], inside: bool) -> None:
    assert SQUARE_WITH_HOLE.contains(*point) is inside


@pytest.mark.parametrize(
    ("point", "inside"),
    [
        ((1, 2), True),
        ((3, 3), False),
        ((1, 3), True),
        ((3, 1), True),
        ((2, 3), True),
        ((-1, 2), False),
    ],
)
def test_concave_polygon_through_a_vertex(point: tuple[float, float], inside: bool) -> None:
    assert L_SHAPE.contains(*point) is inside


def test_multipolygon_holds_points_of_each_part_only() -> None:
    islands = MultiPolygon(
        coordinates=[rectangle(0, 0, 1, 1).coordinates, rectangle(5, 5, 6, 6).coordinates]
    )
    assert islands.contains(0.5, 0.5) and islands.contains(5.5, 5.5)
    assert not islands.contains(3, 3)


@pytest.mark.parametrize(
    "coordinates",
    [
        [],  # no ring
        [[(0, 0), (1, 0), (1, 1), (0, 1)]],  # not closed
        [[(0, 0), (1, 1), (0, 0)]],  # too few positions
        [[(0, 0), (1, 1), (2, 2), (0, 0)]],  # no area
        [[(0, 0), (200, 0), (200, 1), (0, 0)]],  # longitude out of range
    ],
)
def test_a_broken_polygon_is_refused(coordinates: Any) -> None:
    with pytest.raises(ValidationError):
        Polygon(coordinates=coordinates)


def test_touching_means_a_shared_edge_or_corner() -> None:
    assert touches(rectangle(0, 0, 1, 1), rectangle(1, 0, 2, 1))  # edge
    assert touches(rectangle(0, 0, 2, 1), rectangle(1, 1, 3, 2))  # part of an edge
    assert touches(rectangle(0, 0, 1, 1), rectangle(1, 1, 2, 2))  # corner
    assert not touches(rectangle(0, 0, 1, 1), rectangle(1.5, 0, 2, 1))


# ----- the demo territory -----------------------------------------------------------------


def test_demo_town_has_26_grids_in_9_villages() -> None:
    assert len(DUHU.grids) == 26
    villages = DUHU.children(TOWN)
    assert len(villages) == 9
    assert {"莲湖村", "莲塘村", "南村", "大纲村", "东风村", "都斛墟社区"} <= {
        v.name for v in villages
    }
    assert sum(len(DUHU.children(v.code)) for v in villages) == 26


def test_every_grid_is_found_by_its_centre() -> None:
    for grid in DUHU.grids:
        lon, lat = grid.geometry.centroid()
        found = DUHU.grid_at(lon, lat)
        assert found is not None and found.code == grid.code, grid.name


def test_grids_do_not_overlap_and_cover_the_land() -> None:
    # Sample points off every boundary: each land point is in exactly one grid.
    west, south, east, north = 112.84, 21.88, 113.02, 21.97
    step = 0.0025
    lon = west + step / 2
    counted = 0
    while lon < east:
        lat = south + step / 2
        while lat < north:
            assert len(DUHU.grids_at(lon, lat)) == 1, (lon, lat)
            counted += 1
            lat += step
        lon += step
    assert counted > 2000


def test_a_point_at_sea_is_in_no_grid_but_in_the_town() -> None:
    assert DUHU.grid_at(*SEA) is None
    assert [u.code for u in DUHU.locate(*SEA)] == [TOWN, "440781", "440700"]
    assert DUHU.locate(113.5, 22.5) == []  # another county altogether


def test_a_point_on_a_shared_edge_goes_to_the_lower_code_every_time() -> None:
    on_edge = (112.86, 21.95)  # between 莲湖村 grid 1 and grid 2
    assert [g.code for g in DUHU.grids_at(*on_edge)] == [LIANHU_1, LIANHU_2]
    assert {DUHU.grid_at(*on_edge).code for _ in range(5)} == {LIANHU_1}  # type: ignore[union-attr]


def test_chain_and_location_name_every_level() -> None:
    chain = DUHU.chain(LIANHU_1)
    assert [u.level for u in chain] == [
        Level.GRID,
        Level.VILLAGE,
        Level.TOWN,
        Level.COUNTY,
        Level.CITY,
    ]
    assert [u.name for u in chain] == ["莲湖村第一网格", "莲湖村", "都斛镇", "台山市", "江门市"]
    location = DUHU.location(LIANHU_1, lon=112.85, lat=21.955)
    assert (location.city, location.county, location.town) == ("440700", "440781", TOWN)
    assert (location.village, location.grid) == ("440781105201", LIANHU_1)


def test_grid_of_a_location_prefers_coordinates_then_the_code() -> None:
    measured = Location(grid=LIANHU_2, lon=112.85, lat=21.955)
    assert grid_of(measured, DUHU).code == LIANHU_1
    at_sea_with_code = Location(grid=LIANHU_2, lon=SEA[0], lat=SEA[1])
    assert grid_of(at_sea_with_code, DUHU).code == LIANHU_2
    with pytest.raises(OutsideTerritory):
        grid_of(Location(lon=SEA[0], lat=SEA[1]), DUHU)
    with pytest.raises(OutsideTerritory):
        grid_of(Location(grid="440781105299001"), DUHU)
    with pytest.raises(OutsideTerritory):
        grid_of(Location(address="都斛镇某处"), DUHU)


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(UnknownUnit):
        DUHU.unit("999999")
    with pytest.raises(UnknownUnit):
        DUHU.grid(TOWN)  # a town is not a grid


# ----- validation -------------------------------------------------------------------------


def _units() -> list[dict[str, Any]]:
    box = {"type": "Polygon", "coordinates": rectangle(0, 0, 1, 1).model_dump()["coordinates"]}
    return [
        {"code": "440781105", "name": "镇", "level": "town"},
        {"code": "440781105201", "name": "村", "level": "village", "parent": "440781105"},
        {"code": "440781105201001", "name": "网格", "level": "grid", "parent": "440781105201",
         "geometry": box},
    ]  # fmt: skip


def test_a_small_valid_territory_loads() -> None:
    territory = Territory.from_mapping({"units": _units()})
    assert territory.grid_at(0.5, 0.5) is not None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda u: u.append(dict(u[2])), "used twice"),
        (lambda u: u[2].update(parent="440781105299"), "parent 440781105299 is unknown"),
        (lambda u: u[2].update(parent="440781105"), "expected a village"),
        (lambda u: u[2].pop("geometry"), "440781105201001"),
        (lambda u: u[2]["geometry"]["coordinates"][0].pop(), "closed"),
        (lambda u: u.pop(2), "no grid"),
    ],
)
def test_inconsistent_territory_is_refused_with_the_reason(change: Any, problem: str) -> None:
    units = _units()
    change(units)
    with pytest.raises(TerritoryInvalid) as refused:
        Territory.from_mapping({"units": units})
    assert problem in str(refused.value)


# ----- the roster against the territory ---------------------------------------------------


def test_demo_roster_gives_every_grid_a_worker_a_head_and_a_neighbouring_partner() -> None:
    roster = load_roster()
    for grid in DUHU.grids:
        post = roster.post(grid.code)
        assert post.partner in {g.code for g in DUHU.neighbours(grid.code)}
        assert post.partner is not None and roster.post(post.partner).partner == grid.code


def _roster_seed() -> dict[str, Any]:
    data: dict[str, Any] = seed()["roster"]
    return data


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r["posts"].pop(0), "440781105201001 (莲湖村第一网格) has no responsible worker"),
        (lambda r: r["posts"][1].update(partner="440781105202002"), "does not pair back"),
        (lambda r: r["posts"][0].update(worker="gh-201"), "is a grid_head"),
        (lambda r: r["posts"][0].update(head="nobody"), "unknown worker nobody"),
        (lambda r: r["workers"][0].update(schedule="nights"), "unknown schedule"),
    ],
)
def test_roster_faults_are_named(change: Any, problem: str) -> None:
    data = _roster_seed()
    change(data)
    with pytest.raises(RosterInvalid) as refused:
        load_roster(data, DUHU)
    assert problem in str(refused.value)


def test_a_partner_must_be_a_neighbour() -> None:
    data = _roster_seed()
    far = {"440781105201001": "440781105208002", "440781105208002": "440781105201001"}
    for post in data["posts"]:
        if post["grid"] in far:
            post["partner"] = far[post["grid"]]
    with pytest.raises(RosterInvalid) as refused:
        load_roster(data, DUHU)
    assert "is not a neighbouring grid" in str(refused.value)
