"""The 1-3-5 minute rapid-response circle (135分钟快速反应圈, seed 004 §4): a unit on site within
1 minute (最小应急单元 at schools, hospitals, key sites), nearby units within 3 minutes, the
station's reserve (备勤力量) within 5 minutes.

Rule, in two small tables:

1. The priority (警情等级) sets the tightest circle the incident deserves (``TARGET``).
2. The distance of the nearest *available* unit sets the tightest circle that can physically
   be kept (``REACH``: ~30 km/h through town streets, i.e. 500 m a minute):

   ==============================  =========
   nearest available unit          reachable
   ==============================  =========
   up to 500 m                     1 minute
   up to 1,500 m                   3 minutes
   farther, none free, or unknown  5 minutes
   ==============================  =========

   The incident is held to the *looser* of the two. Nothing is looser than 5 minutes: a far
   incident still counts against the 5-minute circle, so coverage gaps show in the figures.

The clock runs from receipt of the alarm (接警) to the first unit's arrival (到场); dispatch
and disposal times are kept for the statistics, but do not decide the circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fengqiao.contracts.codes import Category, CodeList, Severity


class Priority(CodeList):
    CRITICAL = ("critical", "危急警情", "critical")  # violence or danger to life under way
    URGENT = ("urgent", "紧急警情", "urgent")  # a fight, a theft in progress, a lost child
    ROUTINE = ("routine", "一般警情", "routine")  # a dispute, a nuisance, a theft discovered
    NON_EMERGENCY = ("non_emergency", "非紧急事项", "non-emergency")  # no circle: worked on a clock


class ResponseLevel(CodeList):
    ONE_MINUTE = ("one_minute", "1分钟响应圈", "1-minute circle")
    THREE_MINUTES = ("three_minutes", "3分钟响应圈", "3-minute circle")
    FIVE_MINUTES = ("five_minutes", "5分钟响应圈", "5-minute circle")

    @property
    def minutes(self) -> int:
        return _MINUTES[self]

    @property
    def limit(self) -> timedelta:
        return timedelta(minutes=self.minutes)


L = ResponseLevel
_MINUTES = {L.ONE_MINUTE: 1, L.THREE_MINUTES: 3, L.FIVE_MINUTES: 5}

TARGET: dict[Priority, ResponseLevel | None] = {
    Priority.CRITICAL: L.ONE_MINUTE,
    Priority.URGENT: L.THREE_MINUTES,
    Priority.ROUTINE: L.FIVE_MINUTES,
    Priority.NON_EMERGENCY: None,
}
REACH: tuple[tuple[float, ResponseLevel], ...] = ((500.0, L.ONE_MINUTE), (1500.0, L.THREE_MINUTES))

# A hub order (流转) is a case with day-long clocks, not a live alarm: only major matters send
# a unit at once. The duty officer may override this at intake.
TRANSFER_PRIORITY: dict[Severity, Priority] = {
    Severity.SIMPLE: Priority.NON_EMERGENCY,
    Severity.GENERAL: Priority.NON_EMERGENCY,
    Severity.MAJOR: Priority.URGENT,
    Severity.EXTRA_MAJOR: Priority.CRITICAL,
}
# A theft or a public-order matter is still on the street even when minor: evidence and
# witnesses go cold, so it is worked inside the 5-minute circle rather than on a day clock.
STREET_CATEGORIES = frozenset({Category.THEFT, Category.PUBLIC_ORDER})


def transfer_priority(category: Category, severity: Severity) -> Priority:
    """The priority a hub order starts with: by severity, street matters at least routine."""
    priority = TRANSFER_PRIORITY[severity]
    if priority is Priority.NON_EMERGENCY and category in STREET_CATEGORIES:
        return Priority.ROUTINE
    return priority


def reachable(nearest_m: float | None) -> ResponseLevel:
    """The tightest circle a unit ``nearest_m`` metres away can keep (None: no unit known)."""
    if nearest_m is not None:
        for within, level in REACH:
            if nearest_m <= within:
                return level
    return L.FIVE_MINUTES


def response_level(priority: Priority, nearest_m: float | None) -> ResponseLevel | None:
    """The circle the incident is held to; None for non-emergency matters."""
    target = TARGET[priority]
    if target is None:
        return None
    return max(target, reachable(nearest_m), key=lambda lv: lv.minutes)


class Verdict(CodeList):
    INSIDE = ("inside", "圈内到场", "inside the circle")
    OUTSIDE = ("outside", "超时到场", "outside the circle")
    PENDING = ("pending", "响应中", "still inside the time, not yet arrived")


@dataclass(frozen=True)
class Response:
    """One incident's response times (接警, 派警, 到场, 处置) and the circle it is held to."""

    level: ResponseLevel | None
    received_at: datetime
    dispatched_at: datetime | None = None
    arrived_at: datetime | None = None
    disposed_at: datetime | None = None

    def verdict(self, now: datetime) -> Verdict | None:
        """Inside or outside its circle; pending while no one arrived and time is left."""
        if self.level is None:
            return None
        deadline = self.received_at + self.level.limit
        if self.arrived_at is not None:
            return Verdict.INSIDE if self.arrived_at <= deadline else Verdict.OUTSIDE
        # No arrival yet, but the time is already gone: it is a miss whatever happens next.
        return Verdict.OUTSIDE if now > deadline else Verdict.PENDING


@dataclass(frozen=True)
class CircleShare:
    counted: int = 0
    inside: int = 0

    @property
    def share(self) -> float | None:
        """到场率 inside the circle; None when nothing was counted (not 0%: no data)."""
        return self.inside / self.counted if self.counted else None

    def __add__(self, other: CircleShare) -> CircleShare:
        return CircleShare(self.counted + other.counted, self.inside + other.inside)


@dataclass(frozen=True)
class CircleReport:
    """The station's figures: per circle and overall; pending and non-emergency left out."""

    by_level: dict[ResponseLevel, CircleShare] = field(default_factory=dict)

    @property
    def overall(self) -> CircleShare:
        return sum(self.by_level.values(), CircleShare())


def circle_report(responses: Iterable[Response], *, now: datetime) -> CircleReport:
    counts = {level: CircleShare() for level in ResponseLevel}
    for r in responses:
        verdict = r.verdict(now)
        if r.level is None or verdict is None or verdict is Verdict.PENDING:
            continue
        counts[r.level] += CircleShare(1, int(verdict is Verdict.INSIDE))
    return CircleReport(counts)
