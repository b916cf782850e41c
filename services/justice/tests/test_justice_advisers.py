"""Village legal advisers (一村一法律顾问): one per village, replaced only on purpose."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from justice.domain.advisers import AdviserRegistry, LegalAdviser, register
from justice.domain.directory import load_directory
from justice.domain.errors import AdviserAlreadyRegistered, NoAdviser

LIANHU = "440781105201"


def adviser(name: str, village: str = LIANHU) -> LegalAdviser:
    return LegalAdviser(
        village=village, village_name="莲湖村", name=name, firm="广东侨乡律师事务所"
    )


def test_register_and_look_up_by_village() -> None:
    registry = AdviserRegistry()
    registry.register(adviser("赵志刚"))
    assert registry.of(LIANHU).name == "赵志刚"
    assert len(registry) == 1


def test_a_second_adviser_for_the_village_is_refused_without_the_flag() -> None:
    registry = AdviserRegistry([adviser("赵志刚")])
    with pytest.raises(AdviserAlreadyRegistered, match="赵志刚"):
        registry.register(adviser("冯卓然"))
    assert registry.of(LIANHU).name == "赵志刚"


def test_replace_appoints_the_new_adviser() -> None:
    registry = AdviserRegistry([adviser("赵志刚")])
    registry.register(
        adviser("冯卓然").model_copy(update={"since": date(2026, 3, 1)}), replace=True
    )
    assert registry.of(LIANHU).name == "冯卓然" and len(registry) == 1


def test_registering_the_same_adviser_again_is_harmless() -> None:
    current = adviser("赵志刚")
    assert register(current, adviser("赵志刚")) == current


def test_an_unknown_village_has_no_adviser() -> None:
    registry = AdviserRegistry([adviser("赵志刚")])
    with pytest.raises(NoAdviser):
        registry.of("440781105299")
    assert registry.find("440781105299") is None


def test_a_village_code_must_be_twelve_digits() -> None:
    with pytest.raises(ValidationError):
        adviser("赵志刚", village="4407811052")


def test_the_demo_seed_has_an_adviser_for_every_village_of_duhu() -> None:
    registry = load_directory().adviser_registry()
    assert len(registry) == 9
    assert registry.of(LIANHU).village_name == "莲湖村"
    assert [a.village for a in registry] == sorted(a.village for a in registry)
