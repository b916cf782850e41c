"""The bodies of a worker's steps on a task, and tasks as a worker's inbox shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import Clock, Outcome
from fengqiao.storage import masked_party
from grid.domain.task import HubTask, TaskStatus


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProgressIn(_In):
    note: str = Field(min_length=1, max_length=5000)


class FeedbackIn(_In):
    outcome: Outcome = Outcome.RESOLVED
    summary: str = Field(min_length=1, max_length=10_000)


class ReturnIn(_In):
    reason_code: str = Field(min_length=1, max_length=60, examples=["grid.not_grid_matter"])
    reason: str = Field(min_length=1, max_length=2000)


class TaskRead(HubTask):
    """A task with its clocks: which have run out now, and the seconds left on each."""

    inbox: list[str] = Field(default_factory=list, exclude=True)
    sender: str
    overdue_clocks: list[Clock] = Field(default_factory=list)
    accept_left_s: float | None = Field(description="None once accepted or closed")
    finish_left_s: float | None = Field(description="None once closed")


class TaskPage(BaseModel):
    items: list[TaskRead]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")


def task_read(task: HubTask, now: datetime, *, viewer: str) -> TaskRead:
    """The task as ``viewer`` may see it: its holder, who must visit the parties, sees them
    whole; anyone else (the grid head, an analyst) sees them masked."""
    accepting = task.status is TaskStatus.ASSIGNED
    parties = task.parties if viewer == task.assignee else [masked_party(p) for p in task.parties]
    return TaskRead.model_validate(
        {
            **task.model_dump(),
            "parties": parties,
            "overdue_clocks": task.overdue(now),
            "accept_left_s": (task.accept_by - now).total_seconds() if accepting else None,
            "finish_left_s": (task.due_at - now).total_seconds() if task.open else None,
        }
    )
