"""What a task's sender (the hub, or police for the police–grid linkage) orders: a
``case.transferred.v1`` becomes a task for the worker the duty rules choose, applied once (the
event id is kept on the task in the same commit); its 督办 / 提级督办 / 结案 notices are lines
on the tasks they concern.

A transfer the grid cannot take — a location in no grid, an action it does not do — goes back
to its sender as ``case.returned.v1`` with the reason, since the sender must re-route it;
anything else the rules refuse goes to the DLQ."""

from __future__ import annotations

from fengqiao.contracts import Envelope
from fengqiao.contracts.events import (
    CaseClosed,
    CaseEscalated,
    CaseReturned,
    CaseSupervised,
    CaseTransferred,
)
from fengqiao.contracts.orders import notice_line
from fengqiao.messaging import OutboxMessage, apply_once, create_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.notices import records_noticed
from fengqiao.messaging.pump import EventHandler
from fengqiao.messaging.refusals import RefusedOrder, give_back
from grid.bootstrap import Grid
from grid.domain import task_steps
from grid.domain.errors import DomainError, OutsideTerritory, UnsupportedAction
from grid.domain.task import Progress, StoredTask

RETURN_CODES: dict[type[DomainError], str] = {
    OutsideTerritory: "grid.outside_territory",
    UnsupportedAction: "grid.unsupported_action",
}


def on_transferred(grid: Grid) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        event = envelope.payload()
        assert isinstance(event, CaseTransferred)
        agency = envelope.sender
        now = grid.clock()
        try:
            opened = task_steps.open_task(
                event, territory=grid.territory, roster=grid.roster, now=now, calendar=grid.calendar
            )
        except (OutsideTerritory, UnsupportedAction) as error:
            await give_back_transfer(grid, envelope, event, agency, error)
            return
        except DomainError as error:
            raise Rejected(str(error)) from None
        task = StoredTask(**opened.model_dump(), sender=agency)

        await create_once(grid.stores.tasks, task.id, envelope.id, lambda: task)

    return handle


async def give_back_transfer(
    grid: Grid, envelope: Envelope, event: CaseTransferred, agency: str, error: DomainError
) -> None:
    code = RETURN_CODES[type(error)]
    refused = RefusedOrder(
        id=event.assignment_id,
        case_id=event.case_id,
        sender=agency,
        reason_code=code,
        reason=str(error),
    )
    returned = CaseReturned(
        case_id=event.case_id,
        assignment_id=event.assignment_id,
        returned_at=grid.clock(),
        reason_code=code,
        reason=str(error),
    )
    answer = grid.to(agency, returned, subject=event.case_id, cause=envelope.id)
    await give_back(grid.stores.refusals, refused, [answer], cause=envelope.id)


def on_sender_notice(grid: Grid) -> EventHandler:
    """督办 / 提级督办 / 结案 from a task's sender about its case: a line on each task it
    concerns, for the worker and the grid head to see."""

    async def handle(envelope: Envelope) -> None:
        notice = envelope.payload()
        assert isinstance(notice, CaseSupervised | CaseEscalated | CaseClosed)
        agency = envelope.sender
        where = {"case_id": notice.case_id, "sender": agency}
        # A task's id is its assignment's: the sender's own id names it here.
        found = await records_noticed(
            grid.stores.tasks, notice, sender=agency, where=where, record_id=lambda _, a: a
        )
        for task_id in (t.id for t in found if t.sender == agency and t.case_id == notice.case_id):

            def change(current: StoredTask | None) -> tuple[StoredTask, list[OutboxMessage]]:
                assert current is not None  # tasks are never deleted
                line = Progress(at=grid.clock(), by=agency, note=notice_line(notice))
                current.notices.append(line)
                return current, []

            await apply_once(grid.stores.tasks, task_id, envelope.id, change)

    return handle
