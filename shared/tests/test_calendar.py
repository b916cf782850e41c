"""Working-day calendar and deadline arithmetic (pure; reads only the bundled YAML)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from fengqiao.calendar import (
    SHANGHAI,
    Counting,
    WorkCalendar,
    deadline,
    fraction_elapsed,
)

CAL = WorkCalendar.default()
# Registered the day before National Day 2025 (Oct 1–8 off; Sep 28 Sun and Oct 11 Sat worked).
BEFORE_NATIONAL_DAY = datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_default_is_cached_and_covers_2025_2026() -> None:
    assert WorkCalendar.default() is CAL
    assert CAL.years == frozenset({2025, 2026})


def test_national_day_2025_skips_the_holiday_and_counts_adjusted_saturday() -> None:
    # Oct 9 (Thu), Oct 10 (Fri), Oct 11 (adjusted Sat) → end of Oct 11 Shanghai.
    due = CAL.add_working_days(BEFORE_NATIONAL_DAY, 3)
    assert due == utc(2025, 10, 11, 16)
    assert due.tzinfo is UTC
    assert due == datetime(2025, 10, 12, tzinfo=SHANGHAI)


def test_spring_festival_2026_with_adjusted_saturdays() -> None:
    friday = datetime(2026, 2, 13, 10, 0, tzinfo=SHANGHAI)  # Feb 15–23 off; Feb 14, 28 worked
    assert CAL.add_working_days(friday, 1) == utc(2026, 2, 14, 16)  # adjusted Saturday
    assert CAL.add_working_days(friday, 2) == utc(2026, 2, 24, 16)  # first day back
    before_second_saturday = datetime(2026, 2, 27, 9, 0, tzinfo=SHANGHAI)
    assert CAL.add_working_days(before_second_saturday, 1) == utc(2026, 2, 28, 16)


def test_ordinary_friday_plus_one_working_day_is_end_of_monday() -> None:
    friday = datetime(2025, 3, 14, 17, 30, tzinfo=SHANGHAI)
    assert CAL.add_working_days(friday, 1) == utc(2025, 3, 17, 16)


def test_start_date_is_taken_in_shanghai_not_utc() -> None:
    # 2025-03-13 23:30Z is already Friday 07:30 in Shanghai.
    assert CAL.add_working_days(utc(2025, 3, 13, 23, 30), 1) == utc(2025, 3, 17, 16)


def test_zero_working_days_is_end_of_the_start_local_day() -> None:
    assert CAL.add_working_days(BEFORE_NATIONAL_DAY, 0) == utc(2025, 9, 30, 16)
    holiday = datetime(2025, 10, 3, 9, 0, tzinfo=SHANGHAI)
    assert CAL.add_working_days(holiday, 0) == utc(2025, 10, 3, 16)


def test_calendar_counting_ignores_the_holiday() -> None:
    due = deadline(BEFORE_NATIONAL_DAY, days=3, counting=Counting.CALENDAR, calendar=CAL)
    assert due == BEFORE_NATIONAL_DAY + timedelta(hours=72)
    assert due == utc(2025, 10, 3, 2)
    assert due.tzinfo is UTC


def test_hours_are_calendar_hours_on_top() -> None:
    working = deadline(
        BEFORE_NATIONAL_DAY, days=3, hours=2, counting=Counting.WORKING, calendar=CAL
    )
    assert working == utc(2025, 10, 11, 18)
    accept = deadline(BEFORE_NATIONAL_DAY, hours=2, counting=Counting.CALENDAR, calendar=CAL)
    assert accept == utc(2025, 9, 30, 4)
    assert deadline(BEFORE_NATIONAL_DAY, counting=Counting.WORKING, calendar=CAL) == utc(
        2025, 9, 30, 16
    )


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2025, 9, 30, 10, 0)
    with pytest.raises(ValueError, match="naive"):
        CAL.add_working_days(naive, 1)
    with pytest.raises(ValueError, match="naive"):
        deadline(naive, days=1, counting=Counting.CALENDAR, calendar=CAL)
    with pytest.raises(ValueError, match="naive"):
        fraction_elapsed(BEFORE_NATIONAL_DAY, BEFORE_NATIONAL_DAY, naive)


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(BEFORE_NATIONAL_DAY, -1)
    with pytest.raises(ValueError):
        deadline(BEFORE_NATIONAL_DAY, days=-1, counting=Counting.WORKING, calendar=CAL)
    with pytest.raises(ValueError):
        deadline(BEFORE_NATIONAL_DAY, hours=-1, counting=Counting.CALENDAR, calendar=CAL)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 10, 2), False),  # National Day, a Thursday
        (date(2025, 10, 4), False),  # Saturday inside the holiday
        (date(2025, 10, 11), True),  # adjusted Saturday
        (date(2025, 10, 18), False),  # plain Saturday
        (date(2025, 10, 14), True),  # plain Tuesday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_fraction_elapsed() -> None:
    start, due = utc(2025, 1, 1), utc(2025, 1, 4)
    assert fraction_elapsed(start, due, start) == 0.0
    assert fraction_elapsed(start, due, utc(2025, 1, 3)) == pytest.approx(2 / 3)
    assert fraction_elapsed(start, due, utc(2025, 1, 7)) == pytest.approx(2.0)
    assert fraction_elapsed(start, due, utc(2024, 12, 31)) == 0.0


def test_fraction_elapsed_degenerate_clock() -> None:
    t = utc(2025, 1, 1)
    assert fraction_elapsed(t, t, t) == 1.0
    assert fraction_elapsed(t, t - timedelta(hours=1), t - timedelta(hours=2)) == 0.0


def test_from_mapping_custom_calendar() -> None:
    data: dict[str, Any] = {
        "years": {
            "2099": {
                "holidays": ["2099-01-05", {"name": "t", "from": "2099-01-06", "to": "2099-01-07"}],
                "workdays": ["2099-01-10"],
            }
        }
    }
    cal = WorkCalendar.from_mapping(data)
    assert cal.years == frozenset({2099})
    assert cal.holidays == frozenset({date(2099, 1, 5), date(2099, 1, 6), date(2099, 1, 7)})
    assert cal.is_working_day(date(2099, 1, 10))  # a Saturday made a workday
    # Fri Jan 2 → Thu 8, Fri 9, Sat 10 (Mon–Wed off).
    start = datetime(2099, 1, 2, 12, 0, tzinfo=SHANGHAI)
    assert cal.add_working_days(start, 3) == utc(2099, 1, 10, 16)


@pytest.mark.parametrize(
    "spec",
    [
        {"holidays": ["2099-01-10"], "workdays": ["2099-01-10"]},  # both off and worked
        {"workdays": ["2099-01-09"]},  # a Friday cannot be an adjusted workday
        {"holidays": [{"name": "t", "from": "2099-01-07", "to": "2099-01-06"}]},
    ],
)
def test_from_mapping_rejects_bad_data(spec: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        WorkCalendar.from_mapping({"years": {2099: spec}})


def test_year_outside_the_data_falls_back_to_monday_to_friday() -> None:
    assert 2030 not in CAL.years
    assert CAL.is_working_day(date(2030, 1, 1))  # New Year's Day, unknown here: a Tuesday
    assert not CAL.is_working_day(date(2030, 1, 5))
    friday = datetime(2030, 1, 4, 10, 0, tzinfo=SHANGHAI)
    assert CAL.add_working_days(friday, 1) == utc(2030, 1, 7, 16)
