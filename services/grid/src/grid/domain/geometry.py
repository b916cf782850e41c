"""GeoJSON polygons and point-in-polygon for grid lookup (网格定位), written without shapely.

Positions are GeoJSON ``[lon, lat]`` in degrees, treated as a plane: a grid is a few kilometres
across, far too small for the curvature to move a point from one grid to another. A point on an
edge or a vertex (within ``EPSILON`` degrees, about 0.1 mm) counts as inside, so a worker standing
on a boundary is never in no grid; the territory breaks ties between neighbours by code.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Position = tuple[float, float]
Ring = list[Position]
EPSILON = 1e-9


def _check_ring(ring: Ring) -> Ring:
    if len(ring) < 4:
        raise ValueError(f"a ring needs at least 4 positions (closed triangle), got {len(ring)}")
    if ring[0] != ring[-1]:
        raise ValueError(f"a ring must be closed (first position == last): {ring[0]} != {ring[-1]}")
    for lon, lat in ring:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"position out of range (lon, lat): {(lon, lat)}")
    if abs(_signed_area(ring)) <= EPSILON * EPSILON:
        raise ValueError("a ring must enclose an area (its positions are all on one line)")
    return ring


def _check_polygon(rings: list[Ring]) -> list[Ring]:
    if not rings:
        raise ValueError("a polygon needs an exterior ring")
    return [_check_ring(ring) for ring in rings]


class _Geometry(BaseModel, ABC):
    """What Polygon and MultiPolygon share; each says how it is made of polygons."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @abstractmethod
    def polygons(self) -> list[list[Ring]]:
        """Each polygon as its rings: the exterior first, then the holes."""

    def contains(self, lon: float, lat: float) -> bool:
        return any(_polygon_contains(rings, (lon, lat)) for rings in self.polygons())

    def bbox(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of the exteriors."""
        points = [p for rings in self.polygons() for p in rings[0]]
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        return min(lons), min(lats), max(lons), max(lats)

    def area(self) -> float:
        """Area in square degrees (exteriors minus holes): for comparisons, not for maps."""
        return sum(_rings_area(rings) for rings in self.polygons())

    def centroid(self) -> Position:
        """Area-weighted centre. Inside every convex grid; not guaranteed for odd shapes."""
        total = x = y = 0.0
        for rings in self.polygons():
            for index, ring in enumerate(rings):
                sign = 1.0 if index == 0 else -1.0
                area = abs(_signed_area(ring)) * sign
                cx, cy = _ring_centroid(ring)
                total += area
                x += cx * area
                y += cy * area
        return x / total, y / total

    def vertices(self) -> list[Position]:
        return [p for rings in self.polygons() for ring in rings for p in ring]

    def on_boundary(self, point: Position) -> bool:
        return any(
            _on_segment(point, a, b)
            for rings in self.polygons()
            for ring in rings
            for a, b in itertools.pairwise(ring)
        )


class Polygon(_Geometry):
    type: Literal["Polygon"] = "Polygon"
    coordinates: list[Ring]

    @field_validator("coordinates")
    @classmethod
    def _rings(cls, value: list[Ring]) -> list[Ring]:
        return _check_polygon(value)

    def polygons(self) -> list[list[Ring]]:
        return [self.coordinates]


class MultiPolygon(_Geometry):
    type: Literal["MultiPolygon"] = "MultiPolygon"
    coordinates: list[list[Ring]] = Field(min_length=1)

    @field_validator("coordinates")
    @classmethod
    def _polygons(cls, value: list[list[Ring]]) -> list[list[Ring]]:
        return [_check_polygon(rings) for rings in value]

    def polygons(self) -> list[list[Ring]]:
        return self.coordinates


Geometry = Annotated[Polygon | MultiPolygon, Field(discriminator="type")]


def rectangle(west: float, south: float, east: float, north: float) -> Polygon:
    """An axis-aligned box, counter-clockwise as RFC 7946 asks of exteriors."""
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return Polygon(coordinates=[ring])


def touches(a: _Geometry, b: _Geometry) -> bool:
    """Whether two areas share a boundary point (an edge or a corner): neighbouring grids.

    Two edges that overlap along a stretch have the stretch's ends among their vertices, so
    testing each vertex against the other's boundary finds every shared edge."""
    return any(b.on_boundary(p) for p in a.vertices()) or any(
        a.on_boundary(p) for p in b.vertices()
    )


def _polygon_contains(rings: list[Ring], point: Position) -> bool:
    exterior, holes = rings[0], rings[1:]
    where = _locate(exterior, point)
    if where <= 0:
        return where == 0
    # A hole's edge is the polygon's boundary too, so a point on it counts as inside.
    return all(_locate(hole, point) <= 0 for hole in holes)


def _locate(ring: Ring, point: Position) -> int:
    """1 inside the ring, 0 on its boundary, -1 outside (even-odd ray casting to the east)."""
    px, py = point
    inside = False
    for (ax, ay), (bx, by) in itertools.pairwise(ring):
        if _on_segment(point, (ax, ay), (bx, by)):
            return 0
        # Half-open in y: a ray through a vertex counts the two edges meeting there once.
        if (ay > py) != (by > py) and px < ax + (py - ay) * (bx - ax) / (by - ay):
            inside = not inside
    return 1 if inside else -1


def _on_segment(p: Position, a: Position, b: Position) -> bool:
    (px, py), (ax, ay), (bx, by) = p, a, b
    if not (
        min(ax, bx) - EPSILON <= px <= max(ax, bx) + EPSILON
        and min(ay, by) - EPSILON <= py <= max(ay, by) + EPSILON
    ):
        return False
    length = max(abs(bx - ax), abs(by - ay))
    cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
    return abs(cross) <= EPSILON * max(length, EPSILON)


def _signed_area(ring: Ring) -> float:
    return sum(ax * by - bx * ay for (ax, ay), (bx, by) in itertools.pairwise(ring)) / 2


def _rings_area(rings: list[Ring]) -> float:
    return abs(_signed_area(rings[0])) - sum(abs(_signed_area(h)) for h in rings[1:])


def _ring_centroid(ring: Ring) -> Position:
    area = _signed_area(ring)
    cx = cy = 0.0
    for (ax, ay), (bx, by) in itertools.pairwise(ring):
        f = ax * by - bx * ay
        cx += (ax + bx) * f
        cy += (ay + by) * f
    return cx / (6 * area), cy / (6 * area)
