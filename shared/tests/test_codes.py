"""Code lists: bilingual labels, unique codes, bare-code serialisation, DOMAIN coverage."""

from __future__ import annotations

import json

import pytest
from pydantic import create_model

from fengqiao.contracts.codes import (
    Action,
    AgencyKind,
    Category,
    Channel,
    CodeList,
    Outcome,
    Severity,
)

CODE_LISTS: list[type[CodeList]] = [Severity, Channel, AgencyKind, Action, Outcome, Category]

# DOMAIN.md, "Categories seen in the seeds": each category named there, and the code it maps to.
DOMAIN_CATEGORIES: dict[str, str] = {
    "land and rural contracting (涉农涉土)": "land_rural",
    "collective-income distribution": "collective_income",
    "crop-insurance claims": "crop_insurance",
    "illegal aquaculture at sea (蚝排)": "illegal_aquaculture",
    "theft (青蟹被盗)": "theft",
    "labour and wage": "labour_wage",
    "doctor–patient": "doctor_patient",
    "water": "water",
    "property management": "property_management",
    "road traffic": "road_traffic",
    "marriage and family": "marriage_family",
    "finance and insurance": "finance_insurance",
    "housing and construction": "housing_construction",
    "medical": "medical",
    "education": "education",
    "neighbour disputes": "neighbour",
    "environment and resources": "environment",
    "food and drug safety": "food_drug",
    "work safety (安全生产)": "work_safety",
    "petitions": "petition",
}


def _ids(lists: list[type[CodeList]]) -> list[str]:
    return [cls.__name__ for cls in lists]


@pytest.mark.parametrize("codes", CODE_LISTS, ids=_ids(CODE_LISTS))
def test_every_member_has_zh_and_en_labels(codes: type[CodeList]) -> None:
    assert list(codes), f"{codes.__name__} is empty"
    for member in codes:
        assert member.zh.strip(), f"{codes.__name__}.{member.name} has no Chinese label"
        assert member.en.strip(), f"{codes.__name__}.{member.name} has no English label"


@pytest.mark.parametrize("codes", CODE_LISTS, ids=_ids(CODE_LISTS))
def test_codes_are_unique(codes: type[CodeList]) -> None:
    # A repeated value would silently become an alias of the first member.
    aliases = [name for name, member in codes.__members__.items() if member.name != name]
    assert aliases == [], f"{codes.__name__} repeats codes: {aliases}"
    values = [member.value for member in codes]
    assert len(values) == len(set(values))


@pytest.mark.parametrize("codes", CODE_LISTS, ids=_ids(CODE_LISTS))
def test_codes_are_lower_snake_case(codes: type[CodeList]) -> None:
    for member in codes:
        assert member.value.isascii(), member.value
        assert member.value == member.value.lower().replace("-", "_").replace(" ", "_")


@pytest.mark.parametrize("codes", CODE_LISTS, ids=_ids(CODE_LISTS))
def test_labels_lists_every_member(codes: type[CodeList]) -> None:
    labels = codes.labels()

    assert [label["code"] for label in labels] == [member.value for member in codes]
    first = next(iter(codes))
    assert labels[0] == {"code": first.value, "zh": first.zh, "en": first.en}


@pytest.mark.parametrize("codes", CODE_LISTS, ids=_ids(CODE_LISTS))
def test_members_serialise_to_the_bare_code(codes: type[CodeList]) -> None:
    holder_model = create_model("Holder", code=(codes, ...), many=(list[codes], ...))  # type: ignore[valid-type]
    members = list(codes)
    holder = holder_model(code=members[0], many=members)

    dumped = json.loads(holder.model_dump_json())

    assert dumped == {"code": members[0].value, "many": [m.value for m in members]}
    assert holder.model_dump(mode="json")["code"] == members[0].value
    assert holder_model.model_validate_json(holder.model_dump_json()) == holder
    assert str(members[0]) == members[0].value
    assert f"{members[0]}" == members[0].value


def test_a_code_is_looked_up_by_its_value() -> None:
    assert Category("theft") is Category.THEFT
    assert isinstance(Category.THEFT, str)
    with pytest.raises(ValueError):
        Category("盗窃")


@pytest.mark.parametrize(
    ("domain", "code"), list(DOMAIN_CATEGORIES.items()), ids=list(DOMAIN_CATEGORIES.values())
)
def test_category_covers_the_domain(domain: str, code: str) -> None:
    assert code in {member.value for member in Category}, f"no Category for {domain!r}"


def test_category_labels_match_the_domain_wording() -> None:
    assert Category.LAND_RURAL.zh == "涉农涉土"
    assert Category.WORK_SAFETY.zh == "安全生产"
    assert Category.PETITION.zh == "信访"
    assert Category.THEFT.zh == "盗窃"


def test_category_has_a_fallback() -> None:
    assert Category("other") is Category.OTHER


def test_severity_is_exactly_the_four_grades_in_order() -> None:
    assert [member.value for member in Severity] == ["simple", "general", "major", "extra_major"]
    assert [member.zh for member in Severity] == ["简单", "一般", "重大", "特大"]
