"""案号 and the mediator roster: numbers written as the court writes them, and who mediates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from court.domain.case_numbers import (
    DUHU,
    CaseKind,
    CaseNumber,
    Court,
    case_number,
    parse_case_number,
    year_in_china,
)
from court.domain.errors import (
    DomainError,
    InvalidRequest,
    MediatorUnavailable,
    NoMediatorAvailable,
    UnknownMediator,
)
from court.domain.mediators import Mediator, MediatorRole, choose_mediator

# ----- case numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "seq", "expected"),
    [
        (CaseKind.CIVIL_FIRST_INSTANCE, 123, "(2026)粤0781民初123号"),
        (CaseKind.CIVIL_SPECIAL, 45, "(2026)粤0781民特45号"),
        (CaseKind.PRE_LITIGATION, 678, "(2026)粤0781诉前调678号"),
    ],
)
def test_numbers_are_written_as_the_court_writes_them(
    kind: CaseKind, seq: int, expected: str
) -> None:
    assert case_number(kind, seq, year=2026) == expected


def test_the_default_court_is_the_duhu_tribunal_of_taishan() -> None:
    assert (DUHU.code, DUHU.name) == ("粤0781", "台山市人民法院都斛人民法庭")


def test_another_court_writes_its_own_code() -> None:
    kaiping = Court(code="粤0783", name="开平市人民法院")
    assert case_number(CaseKind.CIVIL_FIRST_INSTANCE, 7, year=2027, court=kaiping) == (
        "(2027)粤0783民初7号"
    )


@pytest.mark.parametrize(("seq", "year"), [(0, 2026), (-1, 2026), (1, 999), (1, 10_000)])
def test_a_number_without_a_positive_sequence_or_a_four_digit_year_is_refused(
    seq: int, year: int
) -> None:
    with pytest.raises(InvalidRequest):
        case_number(CaseKind.CIVIL_FIRST_INSTANCE, seq, year=year)


@pytest.mark.parametrize("code", ["", "粤 0781", "(粤)0781"])
def test_a_court_code_with_blanks_or_brackets_is_refused(code: str) -> None:
    with pytest.raises(ValueError):
        Court(code=code)


def test_the_year_is_beijing_time_so_new_years_eve_evening_utc_is_the_next_year() -> None:
    assert year_in_china(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == 2026
    assert year_in_china(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == 2027


@pytest.mark.parametrize("kind", list(CaseKind))
def test_a_written_number_reads_back_to_its_parts(kind: CaseKind) -> None:
    text = case_number(kind, 9001, year=2026)
    assert parse_case_number(text) == CaseNumber(
        year=2026, court_code="粤0781", kind=kind, seq=9001
    )


@pytest.mark.parametrize(
    "text",
    ["", "(2026)粤0781刑初1号", "2026粤0781民初1号", "(2026)粤0781民初号", "(26)粤0781民初1号"],
)
def test_text_that_is_not_a_case_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidRequest):
        parse_case_number(text)


# ----- mediators ------------------------------------------------------------------------------


def mediator(
    mediator_id: str, open_cases: int = 0, capacity: int = 10, active: bool = True
) -> Mediator:
    return Mediator(
        id=mediator_id,
        name=f"调解员{mediator_id}",
        open_cases=open_cases,
        capacity=capacity,
        active=active,
    )


def test_the_least_loaded_share_of_capacity_is_chosen() -> None:
    # b carries more cases than a but a smaller share of what it can carry
    roster = [mediator("a", open_cases=3, capacity=5), mediator("b", open_cases=4, capacity=10)]
    assert choose_mediator(roster).id == "b"


def test_equal_shares_go_to_fewer_open_cases_then_to_the_smaller_id() -> None:
    by_cases = [mediator("a", open_cases=2, capacity=4), mediator("b", open_cases=1, capacity=2)]
    assert choose_mediator(by_cases).id == "b"
    by_id = [mediator("m2", open_cases=1), mediator("m1", open_cases=1)]
    assert choose_mediator(by_id).id == "m1"
    assert choose_mediator(list(reversed(by_id))).id == "m1"  # whatever the roster's order


def test_inactive_and_full_mediators_are_passed_over() -> None:
    roster = [
        mediator("a", active=False),
        mediator("b", open_cases=10, capacity=10),
        mediator("c", open_cases=9, capacity=10),
    ]
    assert choose_mediator(roster).id == "c"


@pytest.mark.parametrize(
    "roster",
    [[], [mediator("a", active=False)], [mediator("a", open_cases=2, capacity=2)]],
    ids=["empty", "inactive", "full"],
)
def test_no_mediator_with_room_is_refused(roster: list[Mediator]) -> None:
    with pytest.raises(NoMediatorAvailable) as refused:
        choose_mediator(roster)
    assert isinstance(refused.value, DomainError)


def test_a_named_mediator_is_chosen_even_past_capacity() -> None:
    roster = [mediator("a"), mediator("b", open_cases=10, capacity=10)]
    assert choose_mediator(roster, named="b").id == "b"


def test_a_named_mediator_must_exist_and_be_active() -> None:
    roster = [mediator("a"), mediator("b", active=False)]
    with pytest.raises(UnknownMediator):
        choose_mediator(roster, named="zz")
    with pytest.raises(MediatorUnavailable):
        choose_mediator(roster, named="b")


def test_a_mediator_is_labelled_with_the_role() -> None:
    assistant = Mediator(id="x", name="黄敏", role=MediatorRole.JUDGE_ASSISTANT)
    assert (mediator("a").label, assistant.label) == ("特邀调解员 调解员a", "法官助理 黄敏")
