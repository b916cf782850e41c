"""What time alone does to a hub task (时限管理): overdue tasks go to the grid head (超时报网格长),
filed tasks are handed over when the shift starts (上班移交), and an unaccepted task whose holder
is away past its accept-by time goes to whoever covers the grid (AB角补位).

The service calls ``tick`` for open tasks on a timer; it is idempotent for a given ``now``.
"""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.codes import Clock
from grid.domain.duty import MONDAY_TO_FRIDAY, Route, assignee
from grid.domain.people import WorkingDays
from grid.domain.roster import Roster
from grid.domain.task import Handover, HubTask, TaskStatus
from grid.domain.task_steps import Transferred, hand_over
from grid.domain.territory import Territory


def tick(
    task: HubTask,
    *,
    territory: Territory,
    roster: Roster,
    now: datetime,
    calendar: WorkingDays = MONDAY_TO_FRIDAY,
) -> list[Handover]:
    """What time alone changes, in this order:

    1. an overdue clock (accept or finish) not yet escalated sends the task to the grid head;
    2. a filed task whose hand-over time has come goes to the worker named for it;
    3. an unaccepted task whose holder is off duty and back only after the accept-by time goes
       to whoever is on duty for the grid (the responsible worker or the A/B partner).
    """
    if not task.open:
        return []
    head = roster.post(task.grid).head
    late = [c for c in task.overdue(now) if c not in task.escalated]
    if late:
        for clock in late:
            task.escalated[clock] = now
        task.pending_handover_to = task.pending_handover_at = None
        if task.assignee == head:
            return []
        what = "签收" if Clock.ACCEPT in late else "办结"
        name = roster.worker(head).name
        return [
            hand_over(
                task,
                to=head,
                route=Route.ESCALATED,
                reason_zh=f"超过{what}时限, 报网格长{name}",
                reason_en=f"the {late[0].en} time has passed; escalated to grid head {name}",
                now=now,
            )
        ]
    due_at, due_to = task.pending_handover_at, task.pending_handover_to
    if due_at is not None and due_to is not None and now >= due_at:
        task.pending_handover_to = task.pending_handover_at = None
        name = roster.worker(due_to).name
        return [
            hand_over(
                task,
                to=due_to,
                route=Route.HANDOVER,
                reason_zh=f"上班移交{name}",
                reason_en=f"handed over to {name} at the start of the shift",
                now=now,
            )
        ]
    if task.status is not TaskStatus.ASSIGNED or task.escalated or due_at is not None:
        return []
    if roster.on_duty(task.assignee, now, calendar):
        return []
    back = roster.next_on_duty(task.assignee, now, calendar)
    if back is not None and back <= task.accept_by:
        return []
    decision = assignee(
        Transferred(task.location, task.urgent), territory, roster, now, calendar=calendar
    )
    if (
        decision.route not in (Route.RESPONSIBLE, Route.AB_PARTNER)
        or decision.worker == task.assignee
    ):
        return []
    return [
        hand_over(
            task,
            to=decision.worker,
            route=decision.route,
            reason_zh=decision.reason_zh,
            reason_en=decision.reason_en,
            now=now,
        )
    ]
