"""The mapping tables (映射表): the platform's category and area codes to ours.

They ship as ``mappings.yaml`` in this package and are checked as a whole when loaded, so a bad
table fails at start-up with every fault listed, not on the first event that hits it.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

import yaml

from fengqiao.contracts.codes import Category, Severity
from fengqiao.contracts.events import Location
from platform_adapter.domain.errors import MappingInvalid

TABLE_FILE = "mappings.yaml"
AREA_CODE = re.compile(r"^\d{12}$")
C = TypeVar("C", Category, Severity)


@dataclass(frozen=True)
class CategoryRule:
    """One platform category (事件类别): our category and the severity a new case starts at."""

    code: str
    category: Category
    severity: Severity


@dataclass(frozen=True)
class AreaRule:
    """One platform area (行政区划): the county, town and, for a village, village it names."""

    code: str
    name: str
    county: str
    town: str
    village: str | None = None

    def location(
        self, *, address: str | None = None, lon: float | None = None, lat: float | None = None
    ) -> Location:
        return Location(
            county=self.county,
            town=self.town,
            village=self.village,
            address=address or self.name,
            lon=lon,
            lat=lat,
        )


@dataclass(frozen=True)
class MappingTables:
    version: str
    categories: Mapping[str, CategoryRule]
    areas: Mapping[str, AreaRule]

    def category(self, code: str) -> CategoryRule | None:
        return self.categories.get(code)

    def area(self, code: str) -> AreaRule | None:
        return self.areas.get(code)


def load_tables() -> MappingTables:
    """The shipped mapping tables (映射表); raises ``MappingInvalid`` listing every fault."""
    return _shipped()


@functools.cache
def _shipped() -> MappingTables:
    text = resources.files("platform_adapter.domain").joinpath(TABLE_FILE).read_text("utf-8")
    return tables_from(yaml.safe_load(text))


def tables_from(data: object) -> MappingTables:
    """Check parsed tables as a whole; raises ``MappingInvalid`` listing every fault."""
    if not isinstance(data, dict):
        raise MappingInvalid(["the tables must be a mapping with categories and areas"])
    problems: list[str] = [] if data.get("version") else ["version: required"]
    categories = _rows(data, "categories", problems)
    areas = _rows(data, "areas", problems)
    tables = MappingTables(
        version=str(data.get("version", "")),
        categories=_categories(categories, problems),
        areas=_areas(areas, problems),
    )
    if problems:
        raise MappingInvalid(problems)
    return tables


def _rows(data: dict[Any, Any], key: str, problems: list[str]) -> list[Any]:
    rows = data.get(key)
    if not isinstance(rows, list) or not rows:
        problems.append(f"{key}: must be a non-empty list")
        return []
    return rows


def _categories(rows: list[Any], problems: list[str]) -> dict[str, CategoryRule]:
    found: dict[str, CategoryRule] = {}
    seen: set[str] = set()
    for n, row in enumerate(rows, 1):
        code, where = _code(row, f"categories #{n}", seen, problems)
        if code is None:
            continue
        category = _member(Category, row.get("category"), f"{where}: category", problems)
        severity = _member(Severity, row.get("severity"), f"{where}: severity", problems)
        if category is not None and severity is not None:
            found[code] = CategoryRule(code=code, category=category, severity=severity)
    return found


def _areas(rows: list[Any], problems: list[str]) -> dict[str, AreaRule]:
    found: dict[str, AreaRule] = {}
    seen: set[str] = set()
    for n, row in enumerate(rows, 1):
        code, where = _code(row, f"areas #{n}", seen, problems)
        if code is None:
            continue
        faults = _area_faults(code, row)
        problems.extend(f"{where}: {fault}" for fault in faults)
        if not faults:
            village = None if code.endswith("000") else code
            found[code] = AreaRule(code, row["name"], row["county"], row["town"], village)
    return found


def _area_faults(code: str, row: dict[str, Any]) -> list[str]:
    faults = [] if isinstance(row.get("name"), str) and row["name"] else ["a name is required"]
    if not AREA_CODE.match(code):
        return ["the code must be 12 digits", *faults]
    if row.get("county") != code[:6]:
        faults.append(f"county must be {code[:6]}")
    if row.get("town") != code[:9]:
        faults.append(f"town must be {code[:9]}")
    # A town-level code ends in 000 and names no village; any other code is the village.
    village = None if code.endswith("000") else code
    if row.get("village") != village:
        faults.append(f"village must be {village or 'absent for a town code'}")
    return faults


def _code(row: object, where: str, seen: set[str], problems: list[str]) -> tuple[str | None, str]:
    if not isinstance(row, dict):
        problems.append(f"{where}: must be a mapping")
        return None, where
    code = row.get("code")
    if not isinstance(code, str) or not code:
        problems.append(f"{where}: code is required")
        return None, where
    where = f"{where} ({code})"
    if code in seen:
        problems.append(f"{where}: code appears twice")
        return None, where
    seen.add(code)
    return code, where


def _member(kind: type[C], value: object, where: str, problems: list[str]) -> C | None:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return kind(value)
    problems.append(f"{where}: {value!r} is not one of ours")
    return None
