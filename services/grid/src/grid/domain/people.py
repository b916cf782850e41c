"""People of the grid (网格力量): workers, grid heads, village teams, their shifts and their posts.

专职网格员 and 兼职网格员 each answer for one grid; a 网格长 oversees the grids of a village; the
village team (村两委/村工作队) keeps watch outside working hours. Each grid is paired with a
neighbouring grid (AB角) so someone covers it when its worker is off duty.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fengqiao.contracts.codes import CodeList

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Far enough to cross the Spring Festival holiday, short enough to stop on an empty rota.
HORIZON_DAYS = 31


class Role(CodeList):
    FULL_TIME = ("full_time", "专职网格员", "full-time grid worker")
    PART_TIME = ("part_time", "兼职网格员", "part-time grid worker")
    GRID_HEAD = ("grid_head", "网格长", "grid head")
    VILLAGE_TEAM = ("village_team", "村两委/村工作队", "village team member")


GRID_WORKERS = frozenset({Role.FULL_TIME, Role.PART_TIME})


class WorkingDays(Protocol):
    """Which days are working days. The hub's ``WorkCalendar`` (Chinese calendar) fits."""

    def is_working_day(self, day: date) -> bool: ...


class MondayToFriday:
    """The plain rule: Monday to Friday, no public holidays."""

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Shift(_Frozen):
    """A stretch of duty in Shanghai local time on one day (班次), e.g. 08:30–12:00."""

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Shift:
        if self.start >= self.end:
            raise ValueError(f"a shift must end after it starts: {self.start}–{self.end}")
        return self


STANDARD_SHIFTS: tuple[Shift, ...] = (
    Shift(start=time(8, 30), end=time(12)),
    Shift(start=time(14, 30), end=time(18)),
)


class DutySchedule(_Frozen):
    """Shifts per ISO weekday (1 = Monday). A non-working day has none; a weekend day the
    calendar makes a working day (调休) takes ``workday``."""

    id: str
    weekly: dict[int, tuple[Shift, ...]] = Field(
        default_factory=lambda: dict.fromkeys(range(1, 6), STANDARD_SHIFTS)
    )
    workday: tuple[Shift, ...] = STANDARD_SHIFTS

    def shifts_on(self, day: date, calendar: WorkingDays) -> tuple[Shift, ...]:
        if not calendar.is_working_day(day):
            return ()
        return self.weekly.get(day.isoweekday(), self.workday)

    def on_duty(self, at: datetime, calendar: WorkingDays) -> bool:
        local = at.astimezone(SHANGHAI)
        return any(s.start <= local.time() < s.end for s in self.shifts_on(local.date(), calendar))

    def starts_after(self, at: datetime, calendar: WorkingDays) -> list[datetime]:
        """Shift starts strictly after ``at`` within the horizon, earliest first (aware UTC)."""
        local = at.astimezone(SHANGHAI)
        starts = []
        for offset in range(HORIZON_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            for shift in self.shifts_on(day, calendar):
                start = datetime.combine(day, shift.start, SHANGHAI)
                if start > local:
                    starts.append(start.astimezone(at.tzinfo))
        return starts


class Leave(_Frozen):
    """Leave or another absence (请假): off duty whatever the schedule says."""

    start: datetime
    end: datetime
    reason: str = ""

    @model_validator(mode="after")
    def _aware_and_ordered(self) -> Leave:
        if self.start.utcoffset() is None or self.end.utcoffset() is None:
            raise ValueError("leave needs time-zone-aware start and end")
        if self.end <= self.start:
            raise ValueError("leave must end after it starts")
        return self

    def covers(self, at: datetime) -> bool:
        return self.start <= at < self.end


class Worker(_Frozen):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    name: str = Field(min_length=1, max_length=100)
    role: Role
    village: str | None = Field(default=None, description="village or community served")
    schedule: str = "standard"
    leave: tuple[Leave, ...] = ()

    @property
    def label(self) -> str:
        """How screens and the hub see the worker, e.g. "伍丽萍 (专职网格员)"."""
        return f"{self.name} ({self.role.zh})"


class GridPost(_Frozen):
    """Who answers for a grid: its responsible worker, its grid head and its A/B partner."""

    grid: str
    worker: str
    head: str
    partner: str | None = Field(default=None, description="the paired neighbouring grid (AB角)")


class VillageTeam(_Frozen):
    """The village team on watch out of hours (8小时之外由村级队伍担负): one member a day."""

    village: str
    name: str
    members: tuple[str, ...] = Field(min_length=1)

    def on_watch(self, at: datetime) -> str:
        """The member on watch. A rota day runs noon to noon, so one member has the night."""
        day = (at.astimezone(SHANGHAI) - timedelta(hours=12)).date()
        return self.members[day.toordinal() % len(self.members)]
