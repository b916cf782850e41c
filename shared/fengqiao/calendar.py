"""Chinese working-day calendar and deadline arithmetic, for every agency's clocks.

Deadlines are counted either in calendar days or in working days on the Chinese calendar,
which moves weekend days around public holidays (调休). The data lives in the bundled
``cn_calendar.yaml`` and must be extended every year once the State Council publishes the
next year's arrangement (国务院办公厅关于<year>年部分节假日安排的通知, usually in November).
Years the data does not cover fall back to plain Mon–Fri, silently: a missing year is a
maintenance task, not a runtime condition.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import yaml

SHANGHAI = ZoneInfo("Asia/Shanghai")
_DATA_PACKAGE = "fengqiao"
_DATA_FILE = "cn_calendar.yaml"


class Counting(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    workdays: frozenset[date]
    years: frozenset[int]

    def __post_init__(self) -> None:
        clash = self.holidays & self.workdays
        if clash:
            raise ValueError(f"dates both holiday and workday: {sorted(clash)}")
        # 调休上班 only ever moves weekend days; a weekday here is a data-entry slip.
        weekdays = sorted(d for d in self.workdays if d.weekday() < 5)
        if weekdays:
            raise ValueError(f"adjusted workdays must be weekend days: {weekdays}")

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """End of the ``days``-th working day strictly after start's local (Shanghai) date.

        The end of a day is 00:00 Asia/Shanghai of the next day; ``days=0`` means the end of
        start's own local day, whether or not that day is a working day.
        """
        _require_aware(start)
        if days < 0:
            raise ValueError(f"days must be >= 0, got {days}")
        day = start.astimezone(SHANGHAI).date()
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return datetime.combine(day + timedelta(days=1), time(), SHANGHAI).astimezone(UTC)

    @classmethod
    def default(cls) -> WorkCalendar:
        return _default_calendar()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> WorkCalendar:
        holidays: set[date] = set()
        workdays: set[date] = set()
        years: set[int] = set()
        for year, spec in (data.get("years") or {}).items():
            years.add(int(year))
            for entry in spec.get("holidays") or ():
                holidays.update(_expand(entry))
            workdays.update(_to_date(d) for d in spec.get("workdays") or ())
        return cls(frozenset(holidays), frozenset(workdays), frozenset(years))


@functools.cache
def _default_calendar() -> WorkCalendar:
    text = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return WorkCalendar.from_mapping(yaml.safe_load(text))


def _to_date(value: object) -> date:
    # YAML gives dates for bare ISO dates; hand-built mappings may pass strings instead.
    if isinstance(value, datetime):
        raise ValueError(f"expected a date, got a datetime: {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ValueError(f"expected a date, got {value!r}")


def _expand(entry: object) -> Iterable[date]:
    """A holiday entry is a single date or a ``{name, from, to}`` range (inclusive)."""
    if not isinstance(entry, Mapping):
        return [_to_date(entry)]
    first = _to_date(entry["from"])
    last = _to_date(entry.get("to", entry["from"]))
    if last < first:
        raise ValueError(f"holiday range ends before it starts: {entry!r}")
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _require_aware(*values: datetime) -> None:
    for value in values:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime not allowed: {value!r}")


def deadline(
    start: datetime,
    *,
    days: int = 0,
    hours: int = 0,
    counting: Counting,
    calendar: WorkCalendar,
) -> datetime:
    """When a clock started at ``start`` runs out, in UTC.

    ``hours`` are elapsed calendar hours even with working-day counting: they exist for short
    clocks (e.g. a 2-hour accept window) and are added after the working days. Negative
    ``days`` or ``hours`` are rejected with ValueError.
    """
    _require_aware(start)
    if days < 0 or hours < 0:
        raise ValueError(f"days and hours must be >= 0, got {days=} {hours=}")
    if Counting(counting) is Counting.CALENDAR:  # also accepts the plain string values
        return start.astimezone(UTC) + timedelta(days=days, hours=hours)
    return calendar.add_working_days(start, days) + timedelta(hours=hours)


def fraction_elapsed(start: datetime, due: datetime, now: datetime) -> float:
    """Share of the clock used up: 0 before start, 1 at due, above 1 once overdue."""
    _require_aware(start, due, now)
    if due <= start:
        # A zero-length clock has no middle: it is either not yet due or fully used.
        return 1.0 if now >= due else 0.0
    return max(0.0, (now - start) / (due - start))
