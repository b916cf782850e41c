"""De-duplication (去重): one event id never makes two cases; the same incident reported again
(same phone, area and category within the window) joins the first one's case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fengqiao.contracts.codes import Category
from platform_adapter.domain.dedupe import Duplicate, Facts, New, judge, normalise_phone

T0 = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
AREA = "440781105201"


def facts(event_id: str, at: datetime = T0, **changes: object) -> Facts:
    base: dict[str, object] = {
        "event_id": event_id,
        "phone": "13800138000",
        "area_code": AREA,
        "category": Category.THEFT,
        "reported_at": at,
        "case_id": None,
    }
    return Facts(**{**base, **changes})  # type: ignore[arg-type]


FIRST = facts("YPA-1", case_id="case-1")


def test_the_same_incident_from_another_channel_joins_the_first_case() -> None:
    assert judge(facts("YPA-2", T0 + 3 * HOUR), [FIRST]) == Duplicate(of="YPA-1", case_id="case-1")


def test_the_window_is_inclusive_and_a_parameter() -> None:
    assert isinstance(judge(facts("YPA-2", T0 + 48 * HOUR), [FIRST]), Duplicate)
    assert judge(facts("YPA-2", T0 + 48 * HOUR + timedelta(seconds=1)), [FIRST]) == New()
    assert judge(facts("YPA-2", T0 + 5 * HOUR), [FIRST], window=4 * HOUR) == New()


def test_a_report_dated_before_the_first_but_pulled_after_it_still_matches() -> None:
    assert isinstance(judge(facts("YPA-2", T0 - 2 * HOUR), [FIRST]), Duplicate)


def test_another_phone_area_or_category_is_a_new_case() -> None:
    assert judge(facts("YPA-2", phone="13900000000"), [FIRST]) == New()
    assert judge(facts("YPA-2", area_code="440781105202"), [FIRST]) == New()
    assert judge(facts("YPA-2", category=Category.NEIGHBOUR), [FIRST]) == New()


def test_without_a_phone_nothing_is_a_probable_duplicate() -> None:
    no_phone = facts("YPA-1", phone=None, case_id="case-1")
    assert judge(facts("YPA-2", phone=None), [no_phone]) == New()
    assert judge(facts("YPA-2", phone=None), [FIRST]) == New()
    assert judge(facts("YPA-2"), [no_phone]) == New()


def test_phones_written_differently_are_the_same_phone() -> None:
    assert normalise_phone("+86 138-0013-8000") == normalise_phone("13800138000") == "13800138000"
    assert normalise_phone(" - ") is None
    assert isinstance(judge(facts("YPA-2", phone="+86 138 0013 8000"), [FIRST]), Duplicate)


def test_an_event_is_never_a_duplicate_of_itself() -> None:
    assert judge(facts("YPA-1"), [FIRST]) == New()


def test_the_earliest_original_wins_and_its_case_may_still_be_pending() -> None:
    pending = facts("YPA-0", T0 - HOUR)  # forwarded, not yet registered by the hub
    verdict = judge(facts("YPA-3", T0 + HOUR), [FIRST, pending])
    assert verdict == Duplicate(of="YPA-0", case_id=None)
