"""The steps of a hub task (任务处置): open, accept (签收), progress, finish (反馈), give back
(退回) and hand over (移交). What the clock alone changes is in ``task_clock``.

Each worker step returns the event the hub must get, so state and message leave together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fengqiao.contracts.codes import Action, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
    DocumentRef,
    Location,
)
from grid.domain.duty import MONDAY_TO_FRIDAY, Route, assignee
from grid.domain.errors import DomainError, UnsupportedAction
from grid.domain.people import Worker, WorkingDays
from grid.domain.roster import Roster
from grid.domain.task import OPEN, Handover, HubTask, Progress, TaskFeedback, TaskStatus
from grid.domain.territory import Territory

T = TaskStatus
# What a grid worker can do for the hub; anything else (a hearing, legal aid) goes back.
GRID_ACTIONS = frozenset({Action.VERIFY, Action.VISIT, Action.MEDIATE, Action.HANDLE})
URGENT_SEVERITIES = frozenset({Severity.MAJOR, Severity.EXTRA_MAJOR})


@dataclass(frozen=True)
class Transferred:
    """A transfer seen as a matter for the duty rules."""

    location: Location
    urgent: bool


def is_urgent(event: CaseTransferred) -> bool:
    """Major and extra-major cases are urgent: the transfer itself carries no emergency flag."""
    return event.severity in URGENT_SEVERITIES


def open_task(
    event: CaseTransferred,
    *,
    territory: Territory,
    roster: Roster,
    now: datetime,
    calendar: WorkingDays = MONDAY_TO_FRIDAY,
) -> HubTask:
    """The task for the worker the duty rules choose; refused if the grid cannot do the action
    or the location is in no grid (the caller returns the transfer to the hub with the reason)."""
    if event.action not in GRID_ACTIONS:
        allowed = ", ".join(sorted(a.value for a in GRID_ACTIONS))
        raise UnsupportedAction(f"the grid does not {event.action.value}; it does {allowed}")
    urgent = is_urgent(event)
    decision = assignee(
        Transferred(event.location, urgent), territory, roster, now, calendar=calendar
    )
    first = Handover(
        at=now,
        from_worker=None,
        to_worker=decision.worker,
        route=decision.route,
        reason_zh=decision.reason_zh,
        reason_en=decision.reason_en,
    )
    return HubTask(
        id=event.assignment_id,
        case_id=event.case_id,
        action=event.action,
        category=event.category,
        severity=event.severity,
        title=event.title,
        summary=event.summary,
        location=event.location,
        parties=list(event.parties),
        grid=decision.grid,
        urgent=urgent,
        assignee=decision.worker,
        route=decision.route,
        assigned_at=now,
        accept_by=event.accept_by,
        due_at=event.due_at,
        pending_handover_to=decision.handover_to,
        pending_handover_at=decision.handover_at,
        handovers=[first],
    )


def accept(task: HubTask, *, worker: Worker, now: datetime) -> CaseAccepted:
    task.check(T.ACCEPTED)  # first: a second accept is AlreadyAccepted, whoever tries it
    task.require_assignee(worker.id)
    task.move(T.ACCEPTED)
    task.accepted_at, task.accepted_by = now, worker.id
    return CaseAccepted(
        case_id=task.case_id, assignment_id=task.id, accepted_at=now, handler=worker.label
    )


def report_progress(task: HubTask, *, worker: Worker, note: str, now: datetime) -> CaseProgressed:
    task.require_assignee(worker.id)
    task.move(T.IN_PROGRESS)
    task.progress.append(Progress(at=now, by=worker.id, note=note))
    return CaseProgressed(case_id=task.case_id, assignment_id=task.id, at=now, note=note)


def finish(
    task: HubTask,
    *,
    worker: Worker,
    outcome: Outcome,
    summary: str,
    now: datetime,
    documents: Sequence[DocumentRef] = (),
) -> CaseFeedback:
    task.require_assignee(worker.id)
    if not summary.strip():
        raise DomainError("feedback needs a summary of what was found or done")
    task.move(T.DONE)
    task.pending_handover_to = task.pending_handover_at = None
    task.feedback = TaskFeedback(
        at=now, by=worker.id, outcome=outcome, summary=summary, documents=list(documents)
    )
    return CaseFeedback(
        case_id=task.case_id,
        assignment_id=task.id,
        at=now,
        outcome=outcome,
        summary=summary,
        documents=list(documents),
    )


def give_back(
    task: HubTask, *, worker: Worker, reason_code: str, reason: str, now: datetime
) -> CaseReturned:
    """退回: not the grid's matter (or not this place's); only before it is accepted."""
    task.require_assignee(worker.id)
    if not (reason_code.strip() and reason.strip()):
        raise DomainError("a task is given back only with a reason code and a reason")
    task.move(T.RETURNED)
    task.returned_at, task.return_reason_code, task.return_reason = now, reason_code, reason
    task.pending_handover_to = task.pending_handover_at = None
    return CaseReturned(
        case_id=task.case_id,
        assignment_id=task.id,
        returned_at=now,
        reason_code=reason_code,
        reason=reason,
    )


def hand_over(
    task: HubTask, *, to: str, route: Route, reason_zh: str, reason_en: str, now: datetime
) -> Handover:
    if task.status not in OPEN:
        raise DomainError(f"task {task.id} is {task.status.value}: nothing to hand over")
    step = Handover(
        at=now,
        from_worker=task.assignee,
        to_worker=to,
        route=route,
        reason_zh=reason_zh,
        reason_en=reason_en,
    )
    task.assignee, task.route = to, route
    task.handovers.append(step)
    return step
