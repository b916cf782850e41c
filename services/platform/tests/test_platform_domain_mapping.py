"""The mapping tables (映射表): the shipped ones load and cover the platform's codes; a bad
table is refused at load with every fault named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from fengqiao.contracts.codes import Category, Severity
from platform_adapter.domain.errors import MappingInvalid
from platform_adapter.domain.mapping import load_tables, tables_from

# The platform's codes as platform-sim issues them (its category list).
SIM_CODES = {
    "ZA-0101": Category.THEFT,
    "ZA-0102": Category.PUBLIC_ORDER,
    "NY-0201": Category.LAND_RURAL,
    "NY-0202": Category.CROP_INSURANCE,
    "NY-0203": Category.ILLEGAL_AQUACULTURE,
    "NY-0204": Category.COLLECTIVE_INCOME,
    "LD-0301": Category.LABOUR_WAGE,
    "MS-0401": Category.CIVIL_DEBT,
    "MS-0402": Category.NEIGHBOUR,
    "MS-0403": Category.MARRIAGE_FAMILY,
    "HJ-0501": Category.ENVIRONMENT,
    "SP-0601": Category.FOOD_DRUG,
    "AQ-0701": Category.WORK_SAFETY,
    "WY-0801": Category.PROPERTY_MANAGEMENT,
    "JT-0901": Category.ROAD_TRAFFIC,
    "XF-1001": Category.PETITION,
}
GRID_SEED = Path(__file__).resolve().parents[2] / "grid/src/grid/domain/duhu_territory.yaml"


def good() -> dict[str, Any]:
    return {
        "version": "t1",
        "categories": [{"code": "ZA-0101", "category": "theft", "severity": "general"}],
        "areas": [
            {"code": "440781105000", "name": "都斛镇", "county": "440781", "town": "440781105"},
            {
                "code": "440781105201",
                "name": "莲湖村",
                "county": "440781",
                "town": "440781105",
                "village": "440781105201",
            },
        ],
    }


def test_the_shipped_tables_map_every_code_the_platform_sends() -> None:
    tables = load_tables()
    assert {code: rule.category for code, rule in tables.categories.items()} == SIM_CODES
    assert tables.category("AQ-0701").severity is Severity.MAJOR  # type: ignore[union-attr]
    assert tables.category("ZZ-9999") is None


def test_a_village_area_names_county_town_and_village_and_the_town_code_no_village() -> None:
    tables = load_tables()
    village = tables.area("440781105201")
    town = tables.area("440781105000")
    assert village is not None and town is not None
    spot = village.location(address="莲湖村蟹塘", lon=112.85, lat=21.955)
    assert (spot.county, spot.town, spot.village) == ("440781", "440781105", "440781105201")
    assert (spot.address, spot.lon, spot.lat) == ("莲湖村蟹塘", 112.85, 21.955)
    assert town.location().village is None
    assert town.location().address == "都斛镇"  # no address given: the area's name
    assert tables.area("440781105299") is None


def test_village_codes_and_names_are_the_grid_territorys() -> None:
    seed = yaml.safe_load(GRID_SEED.read_text(encoding="utf-8"))
    villages = {u["code"]: u["name"] for u in seed["units"] if u["level"] == "village"}
    ours = {a.village: a.name for a in load_tables().areas.values() if a.village}
    assert ours == villages


def test_a_good_table_loads() -> None:
    tables = tables_from(good())
    assert tables.version == "t1"
    assert tables.category("ZA-0101").category is Category.THEFT  # type: ignore[union-attr]


def test_a_bad_table_is_refused_with_every_fault_listed() -> None:
    data = good()
    data["categories"] += [
        {"code": "ZA-0101", "category": "theft", "severity": "general"},
        {"code": "XX-1", "category": "aliens", "severity": "huge"},
        {"category": "theft", "severity": "general"},
    ]
    data["areas"] += [
        {"code": "4407811052", "name": "短码", "county": "440781", "town": "440781105"},
        {"code": "440781105202", "name": "莲塘村", "county": "440781", "town": "440781105"},
        {
            "code": "440781106201",
            "name": "",
            "county": "440781",
            "town": "440781105",
            "village": "440781106201",
        },
    ]
    with pytest.raises(MappingInvalid) as caught:
        tables_from(data)
    problems = "\n".join(caught.value.problems)
    for fault in (
        "(ZA-0101): code appears twice",
        "(XX-1): category: 'aliens' is not one of ours",
        "(XX-1): severity: 'huge' is not one of ours",
        "categories #4: code is required",
        "(4407811052): the code must be 12 digits",
        "(440781105202): village must be 440781105202",
        "(440781106201): a name is required",
        "(440781106201): town must be 440781106",
    ):
        assert fault in problems
    assert len(caught.value.problems) == 8


@pytest.mark.parametrize("broken", [None, [], "tables", {"version": "x"}])
def test_a_table_of_the_wrong_shape_is_refused(broken: object) -> None:
    with pytest.raises(MappingInvalid):
        tables_from(broken)


def test_a_table_without_version_is_refused() -> None:
    data = copy.deepcopy(good())
    del data["version"]
    with pytest.raises(MappingInvalid, match="version: required"):
        tables_from(data)
