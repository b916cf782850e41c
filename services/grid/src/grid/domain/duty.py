"""Who handles a matter now (派单规则), and why: the grid's worker, its A/B partner, the village
team or the grid head.

From seed 003: "8小时之外由村级队伍担负起网格内的各项工作, 紧急事件及时联系网格长, 非紧急事件建档
移交; 相邻网格互为AB角, 紧急问题由相邻网格员共同处理". In order:

1. the grid's responsible worker, if on duty (an urgent matter also alerts the partner, on duty);
2. else the A/B partner (AB角补位), if on duty;
3. else nobody of the grid is on duty (nights, weekends, holidays, breaks, leave):
   an urgent matter goes straight to the grid head (网格长), the village team is alerted;
   a non-urgent one is filed by the village team member on watch (建档) and handed over at the
   next shift start of the responsible worker, or of the partner if theirs comes first (移交).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from fengqiao.contracts.codes import CodeList
from fengqiao.contracts.events import Location
from grid.domain.errors import OutsideTerritory, UnknownUnit
from grid.domain.people import SHANGHAI, MondayToFriday, WorkingDays
from grid.domain.roster import Roster
from grid.domain.territory import Grid, Territory

MONDAY_TO_FRIDAY = MondayToFriday()


class Route(CodeList):
    """Why a worker holds a matter; shown on screens next to the name."""

    RESPONSIBLE = ("responsible", "责任网格员在岗", "responsible worker on duty")
    AB_PARTNER = ("ab_partner", "AB角补位", "A/B partner covers")
    GRID_HEAD = ("grid_head", "紧急事件报网格长", "urgent: grid head")
    VILLAGE_TEAM = ("village_team", "村级队伍建档移交", "village team files it for hand-over")
    HANDOVER = ("handover", "上班移交", "handed over at the next shift")
    ESCALATED = ("escalated", "超时报网格长", "overdue: grid head")


class Matter(Protocol):
    """A hub task or a patrol report: where it is, and whether it is urgent."""

    @property
    def location(self) -> Location: ...

    @property
    def urgent(self) -> bool: ...


class Decision(BaseModel):
    """Who handles the matter now, and, when filed out of hours, who takes it over when."""

    model_config = ConfigDict(frozen=True)

    grid: str
    worker: str
    route: Route
    reason_zh: str
    reason_en: str
    handover_to: str | None = None
    handover_at: datetime | None = None
    alert: tuple[str, ...] = ()


def grid_of(location: Location, territory: Territory) -> Grid:
    """The grid holding the coordinates; the location's grid code only when it has none.

    Coordinates win because they were measured; a code may come from an old address."""
    if location.lon is not None and location.lat is not None:
        found = territory.grid_at(location.lon, location.lat)
        if found is not None:
            return found
    if location.grid is not None:
        try:
            return territory.grid(location.grid)
        except UnknownUnit:
            raise OutsideTerritory(f"grid {location.grid} is not in the territory") from None
    where = (location.lon, location.lat) if location.lon is not None else location.address
    raise OutsideTerritory(f"location {where} is in no grid of the territory")


def assignee(
    matter: Matter,
    territory: Territory,
    roster: Roster,
    now: datetime,
    *,
    calendar: WorkingDays = MONDAY_TO_FRIDAY,
) -> Decision:
    if now.utcoffset() is None:
        # A naive time would be read as the machine's zone, not Shanghai's shifts.
        raise ValueError(f"naive datetime not allowed: {now!r}")
    grid = grid_of(matter.location, territory)
    post = roster.post(grid.code)
    worker = roster.worker(post.worker)
    partner = roster.post(post.partner) if post.partner else None
    partner_worker = roster.worker(partner.worker) if partner else None
    partner_on = partner_worker is not None and roster.on_duty(partner_worker.id, now, calendar)
    where = grid.name
    if roster.on_duty(worker.id, now, calendar):
        alert = (partner_worker.id,) if matter.urgent and partner_worker and partner_on else ()
        return Decision(
            grid=grid.code,
            worker=worker.id,
            route=Route.RESPONSIBLE,
            alert=alert,
            reason_zh=f"{where}责任网格员{worker.name}在岗",
            reason_en=f"{worker.name}, the responsible worker of {where}, is on duty",
        )
    if partner_worker is not None and partner_on:
        return Decision(
            grid=grid.code,
            worker=partner_worker.id,
            route=Route.AB_PARTNER,
            reason_zh=f"责任网格员{worker.name}不在岗, 由相邻网格AB角{partner_worker.name}补位",
            reason_en=f"{worker.name} is off duty; A/B partner {partner_worker.name} covers",
        )
    head = roster.worker(post.head)
    team = roster.team(grid.parent or "")
    watch = roster.worker(team.on_watch(now)) if team else head
    if matter.urgent:
        return Decision(
            grid=grid.code,
            worker=head.id,
            route=Route.GRID_HEAD,
            alert=(watch.id,) if watch.id != head.id else (),
            reason_zh=f"{where}网格员均不在岗, 紧急事件直报网格长{head.name}",
            reason_en=f"nobody of {where} is on duty; urgent, so straight to grid head {head.name}",
        )
    to, at = _next_hand(
        roster, [worker.id, *([partner_worker.id] if partner_worker else [])], now, calendar
    )
    if to is None or at is None:
        to, at = head.id, now
    taker = roster.worker(to)
    local = at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return Decision(
        grid=grid.code,
        worker=watch.id,
        route=Route.VILLAGE_TEAM,
        handover_to=to,
        handover_at=at,
        reason_zh=f"8小时之外由村级队伍{watch.name}建档, {local}移交{taker.name}",
        reason_en=f"out of hours: {watch.name} of the village team files it; handed to "
        f"{taker.name} at {local} (Asia/Shanghai)",
    )


def _next_hand(
    roster: Roster, workers: list[str], now: datetime, calendar: WorkingDays
) -> tuple[str | None, datetime | None]:
    """The first of ``workers`` back on duty (earlier in the list wins a tie), and when."""
    best: tuple[str | None, datetime | None] = (None, None)
    for worker_id in workers:
        at = roster.next_on_duty(worker_id, now, calendar)
        if at is not None and (best[1] is None or at < best[1]):
            best = (worker_id, at)
    return best
