"""The platform's own code tables: categories (事项分类), areas (行政区划), channels (渠道).

The category codes are the platform's, not ours: the adapter's mapping table translates them.
Area codes and village blocks are those of the grid service's duhu_territory.yaml (illustrative,
not official); the town's own code ends in 000.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlatformCategory:
    """A platform category (事项分类): its code, Chinese name and the Fengqiao category it means."""

    code: str
    zh: str
    en: str
    urgent_share: float  # how often a report of this kind comes in marked urgent (紧急)


@dataclass(frozen=True)
class Area:
    """An area code (行政区划代码) and the box its reports' coordinates fall in."""

    code: str
    name: str
    lon: tuple[float, float]
    lat: tuple[float, float]


CATEGORIES: tuple[PlatformCategory, ...] = (
    PlatformCategory("ZA-0101", "盗窃", "theft", 0.15),
    PlatformCategory("ZA-0102", "治安", "public_order", 0.2),
    PlatformCategory("NY-0201", "土地承包", "land_rural", 0.05),
    PlatformCategory("NY-0202", "农业保险", "crop_insurance", 0.02),
    PlatformCategory("NY-0203", "非法养殖", "illegal_aquaculture", 0.05),
    PlatformCategory("NY-0204", "集体收益", "collective_income", 0.02),
    PlatformCategory("LD-0301", "劳资", "labour_wage", 0.1),
    PlatformCategory("MS-0401", "民间借贷", "civil_debt", 0.02),
    PlatformCategory("MS-0402", "邻里", "neighbour", 0.05),
    PlatformCategory("MS-0403", "婚姻家庭", "marriage_family", 0.1),
    PlatformCategory("HJ-0501", "环境", "environment", 0.1),
    PlatformCategory("SP-0601", "食药", "food_drug", 0.15),
    PlatformCategory("AQ-0701", "安全生产", "work_safety", 0.4),
    PlatformCategory("WY-0801", "物业", "property_management", 0.02),
    PlatformCategory("JT-0901", "交通", "road_traffic", 0.3),
    PlatformCategory("XF-1001", "信访", "petition", 0.05),
)
CATEGORY_BY_CODE = {category.code: category for category in CATEGORIES}
UNKNOWN_CATEGORY = "ZZ-9999"  # a code no mapping table has: the adapter must reject it

TOWN = Area("440781105000", "都斛镇", (112.84, 113.02), (21.85, 21.97))
VILLAGES: tuple[Area, ...] = (
    Area("440781105201", "莲湖村", (112.84, 112.90), (21.94, 21.97)),
    Area("440781105202", "莲塘村", (112.90, 112.96), (21.94, 21.97)),
    Area("440781105203", "大纲村", (112.96, 113.02), (21.94, 21.97)),
    Area("440781105204", "南村", (112.84, 112.90), (21.91, 21.94)),
    Area("440781105001", "都斛墟社区", (112.90, 112.96), (21.91, 21.94)),
    Area("440781105205", "东风村", (112.96, 113.02), (21.91, 21.94)),
    Area("440781105206", "新地村", (112.84, 112.90), (21.88, 21.91)),
    Area("440781105207", "丰江村", (112.90, 112.96), (21.88, 21.91)),
    Area("440781105208", "甜水村", (112.96, 113.02), (21.88, 21.91)),
)
AREAS: tuple[Area, ...] = (TOWN, *VILLAGES)
AREA_BY_CODE = {area.code: area for area in AREAS}
UNKNOWN_AREA = "440781199201"  # twelve digits, but no village of 都斛镇

# 渠道 and how often a report arrives through each (weights).
CHANNELS: dict[str, float] = {
    "app": 0.35,
    "mini_program": 0.2,
    "hotline_12345": 0.25,
    "grid_app": 0.15,
    "web": 0.05,
}

# Fields an event needs before the adapter can make a case of it (the malformed ones lack one).
REQUIRED_FIELDS = ("event_id", "category_code", "area_code", "title", "reported_at")
