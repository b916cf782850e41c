"""Choice of committee and mediator (选派): specialty, load, distance, tie-break, override,
and the expert pool; plus the demo directory of 都斛镇 and the field of each dispute kind."""

from __future__ import annotations

from typing import Any

import pytest

from fengqiao.contracts.codes import Category
from fengqiao.contracts.events import Location
from justice.domain.choice import choose, choose_committee, override, suggest_experts
from justice.domain.directory import Directory, load_directory
from justice.domain.errors import (
    InvalidData,
    InvalidRequest,
    MediatorUnavailable,
    NoMediatorAvailable,
    UnknownMediator,
)
from justice.domain.fields import CommitteeField, field_for

F = CommitteeField
LON, LAT = 112.93, 21.92
DEG_PER_M = 1 / 111_195.0
HERE = Location(town="440781105", lon=LON, lat=LAT)
UNPLACED = Location(town="440781105")


def mediator(mid: str, north_m: float, *, knows: bool = True, cap: int = 5, **kw: Any) -> Any:
    return {
        "id": mid,
        "name": f"调解员{mid}",
        "committees": kw.pop("committees", ["land"]),
        "specialties": ["rural_land"] if knows else ["marriage_family"],
        "lon": LON,
        "lat": LAT + north_m * DEG_PER_M,
        "capacity": cap,
        **kw,
    }


def directory(*mediators: Any) -> Directory:
    return load_directory(
        {
            "committees": [
                {"id": "joint", "name": "都斛镇人民调解委员会", "field": "joint"},
                {
                    "id": "land",
                    "name": "都斛镇农村土地承包经营纠纷调解委员会",
                    "field": "rural_land",
                },
            ],
            "mediators": [*mediators, mediator("zz-joint", 0, committees=["joint"])],
        }
    )


def pick(d: Directory, load: dict[str, int] | None = None, where: Location = HERE) -> str:
    return choose(d, field=F.RURAL_LAND, location=where, load=load or {}).mediator_id


def test_specialty_comes_before_load_and_distance() -> None:
    d = directory(mediator("a", 5000, knows=True), mediator("b", 10, knows=False))
    assert pick(d, {"a": 4}) == "a"


def test_lighter_load_for_capacity_comes_before_distance() -> None:
    d = directory(mediator("a", 10, cap=4), mediator("b", 5000, cap=5))
    # a carries 2/4 = 50%, b 2/5 = 40%: b, though farther.
    assert pick(d, {"a": 2, "b": 2}) == "b"


def test_nearer_mediator_wins_at_equal_load() -> None:
    d = directory(mediator("a", 3000), mediator("b", 800))
    choice = choose(d, field=F.RURAL_LAND, location=HERE, load={})
    assert choice.mediator_id == "b"
    assert choice.distance_m == pytest.approx(800, abs=1)
    assert choice.committee_id == "land" and not choice.manual


def test_equal_mediators_go_to_the_lower_id() -> None:
    d = directory(mediator("m2", 100), mediator("m1", 100))
    assert pick(d) == "m1"


def test_without_coordinates_load_then_id_decide() -> None:
    d = directory(mediator("a", 10), mediator("b", 9000))
    assert pick(d, where=UNPLACED) == "a"
    assert pick(d, {"a": 1}, where=UNPLACED) == "b"


def test_full_and_inactive_mediators_are_skipped() -> None:
    d = directory(mediator("a", 10, cap=2), mediator("b", 20, active=False), mediator("c", 5000))
    assert pick(d, {"a": 2, "c": 3}) == "c"


def test_no_mediator_with_room_is_refused() -> None:
    d = directory(mediator("a", 10, cap=1), mediator("b", 20, cap=2))
    with pytest.raises(NoMediatorAvailable):
        pick(d, {"a": 1, "b": 2})


def test_committee_named_in_the_order_wins_and_an_unknown_one_falls_back() -> None:
    d = directory(mediator("a", 10))
    assert choose_committee(d, F.RURAL_LAND, "都斛镇人民调解委员会")[0].id == "joint"
    assert choose_committee(d, F.RURAL_LAND, "joint")[0].id == "joint"
    committee, note = choose_committee(d, F.RURAL_LAND, "台城镇调委会")
    assert committee.id == "land" and note is not None and "台城镇调委会" in note
    chosen = choose(d, field=F.RURAL_LAND, location=HERE, load={}, unit="joint")
    assert (chosen.committee_id, chosen.mediator_id) == ("joint", "zz-joint")


def test_a_field_without_its_committee_goes_to_the_joint_committee() -> None:
    d = directory(mediator("a", 10))
    chosen = choose(d, field=F.WATER, location=HERE, load={})
    assert (chosen.committee_id, chosen.mediator_id) == ("joint", "zz-joint")


def test_override_names_a_mediator_with_a_reason_even_when_full() -> None:
    d = directory(mediator("a", 10, cap=1), mediator("b", 20))
    chosen = override(
        d, mediator_id="a", reason="熟悉当事人", field=F.RURAL_LAND, location=HERE, load={"a": 1}
    )
    assert (chosen.mediator_id, chosen.manual, chosen.reason) == ("a", True, "熟悉当事人")
    assert chosen.note is not None and "上限" in chosen.note


def test_override_uses_the_mediators_own_committee_when_not_a_member() -> None:
    d = directory(mediator("a", 10))
    chosen = override(
        d, mediator_id="zz-joint", reason="本村人", field=F.RURAL_LAND, location=HERE, load={}
    )
    assert chosen.committee_id == "joint"


@pytest.mark.parametrize(
    ("mediator_id", "reason", "error"),
    [
        ("nobody", "理由", UnknownMediator),
        ("b", "理由", MediatorUnavailable),
        ("a", "  ", InvalidRequest),
    ],
)
def test_override_refusals(mediator_id: str, reason: str, error: type[Exception]) -> None:
    d = directory(mediator("a", 10), mediator("b", 20, active=False))
    with pytest.raises(error):
        override(
            d, mediator_id=mediator_id, reason=reason, field=F.RURAL_LAND, location=HERE, load={}
        )


def test_experts_are_suggested_by_specialty_nearest_first() -> None:
    d = load_directory()
    near_lianhu = Location(lon=112.87, lat=21.955)
    experts = suggest_experts(d, F.RURAL_LAND, near_lianhu)
    assert [e.id for e in experts] == ["e03", "e02"]
    assert all(F.RURAL_LAND in e.specialties for e in experts)
    assert suggest_experts(d, F.HOUSING) == []
    assert len(suggest_experts(d, F.RURAL_LAND, limit=1)) == 1


def test_demo_directory_has_a_staffed_committee_per_field_near_duhu() -> None:
    d = load_directory()
    assert sorted(c.field for c in d.committees) == sorted(CommitteeField)
    assert 8 <= len(d.mediators) <= 12 and len(d.experts) >= 5 and d.lawyers
    for person in (*d.mediators, *d.experts):
        assert 112.8 < person.lon < 113.05 and 21.85 < person.lat < 21.99
    land = d.committee_for(F.RURAL_LAND)
    chosen = choose(d, field=F.RURAL_LAND, location=Location(lon=112.87, lat=21.955), load={})
    assert chosen.committee_id == land.id
    assert F.RURAL_LAND in d.mediator(chosen.mediator_id).specialties


@pytest.mark.parametrize(
    ("category", "field"),
    [
        (Category.LAND_RURAL, F.RURAL_LAND),
        (Category.CROP_INSURANCE, F.FINANCE_INSURANCE),
        (Category.LABOUR_WAGE, F.LABOUR),
        (Category.HOUSING_CONSTRUCTION, F.HOUSING),
        (Category.DOCTOR_PATIENT, F.DOCTOR_PATIENT),
        (Category.NEIGHBOUR, F.JOINT),
        (Category.THEFT, F.JOINT),
    ],
)
def test_field_of_each_dispute_kind(category: Category, field: CommitteeField) -> None:
    assert field_for(category) is field


def test_directory_refuses_unknown_committees_and_unstaffed_ones() -> None:
    with pytest.raises(InvalidData) as caught:
        load_directory(
            {
                "committees": [{"id": "joint", "name": "联合", "field": "joint"}],
                "mediators": [mediator("a", 0, committees=["nowhere"])],
            }
        )
    assert any("unknown committee nowhere" in p for p in caught.value.problems)
    assert any("joint" in p and "no active mediator" in p for p in caught.value.problems)
