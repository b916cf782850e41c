"""The grid's service layer: keyword-only async functions that load a task or report, apply one
step of the domain, and save it with the event the step must send, in one commit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fengqiao.calendar import WorkCalendar
from fengqiao.clock import now_utc
from fengqiao.contracts import new_envelope, topics
from fengqiao.contracts.codes import Category, Outcome
from fengqiao.contracts.events import Location
from fengqiao.contracts.registry import EventData
from fengqiao.messaging import OutboxMessage, outgoing
from fengqiao.storage import retry_on_conflict
from grid.adapters.store import StoredTask, Stores
from grid.domain import patrol, task_steps
from grid.domain.patrol import PatrolReport, Photo
from grid.domain.people import Worker, WorkingDays
from grid.domain.roster import Roster
from grid.domain.task_clock import tick
from grid.domain.territory import Territory
from grid.settings import GridSettings

Step = Callable[[StoredTask, Worker, datetime], EventData | None]


@dataclass
class Grid:
    """What every handler needs: the stores, the territory and roster, the grid's agency id."""

    stores: Stores
    territory: Territory
    roster: Roster
    agency: str
    settings: GridSettings
    # Replaceable so tests can pin the hour the duty rules see.
    clock: Callable[[], datetime] = field(default=now_utc)
    # Duty shifts follow the Chinese working-day calendar (调休 weekends, public holidays).
    calendar: WorkingDays = field(default_factory=WorkCalendar.default)

    def to(
        self, recipient: str, data: EventData, *, subject: str, cause: str | None
    ) -> OutboxMessage:
        """An event from this agency to ``recipient``, through the exchange."""
        return outgoing(
            topics.outbound(self.agency),
            new_envelope(
                data,
                source=f"/agencies/{self.agency}",
                subject=subject,
                recipient=recipient,
                correlationid=subject,
                causationid=cause,
            ),
        )


async def change_task(
    grid: Grid, *, task_id: str, worker_id: str, step: Step, attempts: int = 10
) -> StoredTask:
    """Apply a worker's step to the latest state; on a concurrent change, reload and re-judge.
    A refused step raises before anything is saved."""
    worker = grid.roster.worker(worker_id)

    async def attempt() -> StoredTask:
        task = await grid.stores.tasks.get(task_id)
        event = step(task, worker, grid.clock())
        events = (
            [] if event is None else [grid.to(task.sender, event, subject=task.case_id, cause=None)]
        )
        return await grid.stores.tasks.save(task, events)

    return await retry_on_conflict(attempt, what=f"task {task_id}", attempts=attempts)


async def accept_task(grid: Grid, *, task_id: str, worker_id: str) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.accept(t, worker=w, now=now),
    )


async def progress_task(grid: Grid, *, task_id: str, worker_id: str, note: str) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.report_progress(t, worker=w, note=note, now=now),
    )


async def finish_task(
    grid: Grid, *, task_id: str, worker_id: str, outcome: Outcome, summary: str
) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.finish(
            t, worker=w, outcome=outcome, summary=summary, now=now
        ),
    )


async def give_back_task(
    grid: Grid, *, task_id: str, worker_id: str, reason_code: str, reason: str
) -> StoredTask:
    return await change_task(
        grid,
        task_id=task_id,
        worker_id=worker_id,
        step=lambda t, w, now: task_steps.give_back(
            t, worker=w, reason_code=reason_code, reason=reason, now=now
        ),
    )


async def tick_task(grid: Grid, *, task_id: str) -> StoredTask:
    """What the clock alone changes (escalation, hand-over); nothing is sent to the hub."""
    task = await grid.stores.tasks.get(task_id)
    changed = tick(
        task, territory=grid.territory, roster=grid.roster, now=grid.clock(), calendar=grid.calendar
    )
    if not changed:
        return task
    return await grid.stores.tasks.save(task)


async def report_patrol(
    grid: Grid,
    *,
    worker_id: str,
    category: Category,
    description: str,
    location: Location,
    photos: list[Photo],
    urgent: bool,
    escalate: bool,
    text: str,
    outcome: Outcome,
) -> PatrolReport:
    """事件上报 and its disposal in one step: resolved on the spot (``text`` is the result) or
    escalated (``text`` is the reason); either way the hub hears of it as ``case.reported``."""
    worker = grid.roster.worker(worker_id)
    now = grid.clock()
    report = patrol.file_report(
        report_id=uuid.uuid4().hex,
        reporter=worker,
        category=category,
        description=description,
        location=location,
        photos=photos,
        urgent=urgent,
        territory=grid.territory,
        now=now,
    )
    if escalate:
        event = patrol.escalate(report, worker=worker, reason=text, now=now)
    else:
        event = patrol.resolve_on_spot(report, worker=worker, result=text, now=now, outcome=outcome)
    message = grid.to(grid.settings.hub_agency, event, subject=report.id, cause=None)
    return await grid.stores.reports.add(report, [message])
