"""The roster (网格员名册): who works, on which schedule, answering for which grid.

Checked against the territory before use, so the duty rules can rely on every grid having a
responsible worker, a grid head and a symmetric, neighbouring A/B partner.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from fengqiao.contracts.codes import Level
from grid.domain.errors import RosterInvalid, UnknownUnit, UnknownWorker
from grid.domain.people import (
    GRID_WORKERS,
    DutySchedule,
    GridPost,
    Leave,
    Role,
    VillageTeam,
    Worker,
    WorkingDays,
)
from grid.domain.territory import Territory, load_territory, seed


class Roster(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schedules: tuple[DutySchedule, ...] = (DutySchedule(id="standard"),)
    workers: tuple[Worker, ...]
    teams: tuple[VillageTeam, ...] = ()
    posts: tuple[GridPost, ...]

    _workers: dict[str, Worker] = PrivateAttr(default_factory=dict)
    _schedules: dict[str, DutySchedule] = PrivateAttr(default_factory=dict)
    _posts: dict[str, GridPost] = PrivateAttr(default_factory=dict)
    _teams: dict[str, VillageTeam] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._workers = {w.id: w for w in self.workers}
        self._schedules = {s.id: s for s in self.schedules}
        self._posts = {p.grid: p for p in self.posts}
        self._teams = {t.village: t for t in self.teams}

    def worker(self, worker_id: str) -> Worker:
        try:
            return self._workers[worker_id]
        except KeyError:
            raise UnknownWorker(f"no worker {worker_id!r} on the roster") from None

    def post(self, grid: str) -> GridPost:
        try:
            return self._posts[grid]
        except KeyError:
            raise UnknownUnit(f"grid {grid!r} has no post on the roster") from None

    def team(self, village: str) -> VillageTeam | None:
        return self._teams.get(village)

    def on_duty(self, worker_id: str, at: datetime, calendar: WorkingDays) -> bool:
        worker = self.worker(worker_id)
        if any(leave.covers(at) for leave in worker.leave):
            return False
        return self._schedules[worker.schedule].on_duty(at, calendar)

    def next_on_duty(self, worker_id: str, at: datetime, calendar: WorkingDays) -> datetime | None:
        """``at`` if on duty then, else the first later moment they are (a shift starts or
        their leave ends mid-shift); None when the rota has nothing within the horizon."""
        worker = self.worker(worker_id)
        candidates = [at, *self._schedules[worker.schedule].starts_after(at, calendar)]
        candidates += [leave.end for leave in worker.leave if leave.end > at]
        return next((c for c in sorted(candidates) if self.on_duty(worker_id, c, calendar)), None)

    def with_leave(self, worker_id: str, leave: Leave) -> Roster:
        """A copy of the roster with the worker on leave (请假) as well."""
        worker = self.worker(worker_id)
        changed = worker.model_copy(update={"leave": (*worker.leave, leave)})
        workers = tuple(changed if w.id == worker_id else w for w in self.workers)
        # Built anew, not model_copy: the lookups are made once, at construction.
        return Roster(schedules=self.schedules, workers=workers, teams=self.teams, posts=self.posts)


def check_roster(roster: Roster, territory: Territory) -> Roster:
    """The roster, if it fits the territory; else RosterInvalid naming every fault."""
    problems: list[str] = []
    ids = [w.id for w in roster.workers]
    problems += [
        f"worker id {i} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    known_schedules = {s.id for s in roster.schedules}
    for w in roster.workers:
        if w.schedule not in known_schedules:
            problems.append(f"worker {w.id}: unknown schedule {w.schedule!r}")
    for team in roster.teams:
        problems += _role_problems(roster, team.members, {Role.VILLAGE_TEAM}, f"team {team.name}")
    posts = {p.grid: p for p in roster.posts}
    for grid in territory.grids:
        if grid.code not in posts:
            problems.append(f"grid {grid.code} ({grid.name}) has no responsible worker")
    for post in roster.posts:
        where = f"grid {post.grid}"
        if post.grid not in territory or territory.unit(post.grid).level is not Level.GRID:
            problems.append(f"{where} is not a grid of the territory")
            continue
        problems += _role_problems(roster, [post.worker], GRID_WORKERS, where)
        problems += _role_problems(roster, [post.head], {Role.GRID_HEAD}, where)
        if post.partner is None:
            continue
        back = posts.get(post.partner)
        if back is None or back.partner != post.grid:
            problems.append(f"{where}: A/B partner {post.partner} does not pair back")
        elif post.partner not in {g.code for g in territory.neighbours(post.grid)}:
            problems.append(f"{where}: A/B partner {post.partner} is not a neighbouring grid")
    if problems:
        raise RosterInvalid(problems)
    return roster


def _role_problems(
    roster: Roster, ids: Any, roles: set[Role] | frozenset[Role], where: str
) -> list[str]:
    problems = []
    for worker_id in ids:
        try:
            role = roster.worker(worker_id).role
        except UnknownWorker:
            problems.append(f"{where}: unknown worker {worker_id}")
            continue
        if role not in roles:
            problems.append(
                f"{where}: {worker_id} is a {role.value}, not a {'/'.join(sorted(roles))}"
            )
    return problems


def load_roster(
    data: Mapping[str, Any] | None = None, territory: Territory | None = None
) -> Roster:
    """The given roster checked against ``territory``, or the demo roster of 都斛镇."""
    if data is None:
        return _demo_roster()
    try:
        roster = Roster.model_validate(data)
    except ValidationError as error:
        raise RosterInvalid(
            [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        ) from None
    return check_roster(roster, territory or load_territory())


@functools.cache
def _demo_roster() -> Roster:
    return load_roster(seed()["roster"], load_territory())
