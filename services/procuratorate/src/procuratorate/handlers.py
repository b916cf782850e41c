"""The procuratorate's service layer: keyword-only async functions that load an aggregate, apply
one step of the domain, and save it with the notices the step owes (to the hub, to a
department) in the same commit. Routes pass their step to ``change``; what needs more than one
aggregate or a fresh number has its own function here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from fengqiao.aggregate import Aggregate
from fengqiao.calendar import SHANGHAI
from fengqiao.clock import now_utc
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.storage import Repository, retry_on_conflict
from procuratorate.adapters.store import Stores
from procuratorate.domain import reminders, suggesting, supervising
from procuratorate.domain.suggestion import Suggestion
from procuratorate.domain.supervision import SupervisionCase
from procuratorate.settings import ProcuratorateSettings

A = TypeVar("A", bound=Aggregate)
Step = Callable[[A, datetime], Sequence[Notice] | None]
PENDING = "pending"  # the id of a new record while its rules are checked, before it is numbered


@dataclass
class Procuratorate:
    """What every handler needs: the stores, the procuratorate's agency id and its settings."""

    stores: Stores
    agency: str
    settings: ProcuratorateSettings
    # Replaceable so tests can move time forward (reminders, hearings).
    clock: Callable[[], datetime] = field(default=now_utc)

    def outgoing(
        self, owner_id: str, notices: Sequence[Notice], cause: str | None
    ) -> list[OutboxMessage]:
        return notices_out(self.agency, notices, about=owner_id, cause=cause)

    async def numbered(self, prefix: str, now: datetime) -> str:
        """The next id of a series, e.g. ``TZ-2026-0007`` (the local year)."""
        year = now.astimezone(SHANGHAI).year
        return f"{prefix}-{year}-{await self.stores.number(prefix, year):04d}"


async def change(
    proc: Procuratorate,
    repository: Repository[A],
    aggregate_id: str,
    step: Step[A],
    *,
    attempts: int = 10,
) -> A:
    """Apply ``step`` to the latest state; on a concurrent change, reload and judge it again.
    A refused step raises before anything is saved."""

    async def attempt() -> A:
        aggregate = await repository.get(aggregate_id)
        notices = list(step(aggregate, proc.clock()) or ())
        return await repository.save(aggregate, proc.outgoing(aggregate.id, notices, None))

    what = f"{repository.collection.name} {aggregate_id}"
    return await retry_on_conflict(attempt, what=what, attempts=attempts)


def suggestion_id_for(case_id: str) -> str:
    """One case, one suggestion: a retried or racing request lands on the same id."""
    return f"{case_id}-jy"


async def issue_suggestion(
    proc: Procuratorate,
    *,
    case_id: str,
    draft: suggesting.SuggestionDraft,
    by: str,
    reply_months: int,
    attempts: int = 10,
) -> tuple[SupervisionCase, Suggestion]:
    """制发检察建议: the suggestion (with the department's order) is saved first, then the case
    (with the hub's progress note). A crash between the two is mended by the next attempt: it
    finds the suggestion and only records it on the case; it is never sent twice."""
    stores, sid = proc.stores, suggestion_id_for(case_id)

    async def attempt() -> tuple[SupervisionCase, Suggestion]:
        case = await stores.cases.get(case_id)
        if case.suggestion_id == sid:
            return case, await stores.suggestions.get(sid)
        now = proc.clock()
        suggestion = await stores.suggestions.find(sid)
        to_department: list[Notice] = []
        if suggestion is None:
            suggestion, to_department = suggesting.issue(
                sid,
                draft,
                category=case.category,
                location=case.location,
                by=by,
                now=now,
                case_id=case.id,
                reply_months=reply_months,
            )
        to_hub = supervising.record_issue(case, suggestion, by=by, now=now)  # refuses first
        if to_department:
            events = proc.outgoing(sid, to_department, None)
            suggestion = await stores.suggestions.add(suggestion, events)
        case = await stores.cases.save(case, proc.outgoing(case.id, to_hub, None))
        return case, suggestion

    return await retry_on_conflict(attempt, what=f"case {case_id}", attempts=attempts)


async def remind(proc: Procuratorate, *, suggestion_id: str, attempts: int = 10) -> int:
    """催告: the reminders due on one suggestion, sent once; how many went."""

    async def attempt() -> int:
        suggestion = await proc.stores.suggestions.get(suggestion_id)
        notices = reminders.remind(suggestion, now=proc.clock(), level=proc.settings.reminder_level)
        if not notices:
            return 0  # sent already (by another pass or replica), or nothing is due
        events = proc.outgoing(suggestion.id, notices, None)
        await proc.stores.suggestions.save(suggestion, events)
        return len(notices)

    return await retry_on_conflict(attempt, what=f"suggestion {suggestion_id}", attempts=attempts)


def report_id_for(external_ref: str) -> str:
    """One external reference, one report: a resubmission finds the first one."""
    return hashlib.sha256(external_ref.strip().encode()).hexdigest()[:20]
