"""The hub's commands on a case: keyword-only async functions that load a case, apply one step
of the domain, and save it with the events the step must send, in one commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from fengqiao.clock import now_utc
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import Party
from fengqiao.contracts.orders import Notice
from fengqiao.storage import ConcurrencyError, retry_on_conflict
from intake.bootstrap import Hub
from intake.domain import loop
from intake.domain.board import reporter_update
from intake.domain.case import Case, Officer
from intake.domain.identifiers import new_case_id, tracking_code
from intake.domain.registration import Intake, register
from intake.domain.supervision import supervise

Step = Callable[[Case], Sequence[Notice] | None]


async def change(hub: Hub, case_id: str, step: Step, *, attempts: int = 10) -> Case:
    """Apply ``step`` to the latest state; on a concurrent change, reload and apply it again
    (a step is re-judged against the fresh state). A step that changes nothing saves nothing."""

    async def attempt() -> Case:
        case = await hub.cases.get(case_id)
        before, was = case.model_dump(), case.status
        notices = list(step(case) or ())
        if case.model_dump() == before:
            return case
        notices += reporter_update(case, was=was, at=now_utc())
        return await hub.cases.save(case, hub.outgoing(case, notices, None))

    return await retry_on_conflict(attempt, what=f"case {case_id}", attempts=attempts)


async def new_case(
    hub: Hub,
    *,
    case_id: str,
    intake: Intake,
    parties: list[Party],
    officer: Officer,
    now: datetime,
) -> Case:
    """A case ready to add (window or force report alike): tracking code claimed, parties
    sealed. Claiming again for the same case id is harmless, so a retry may call it again."""
    code = tracking_code(case_id, hub.tracking_key)
    await hub.tracking.claim(code, case_id)
    return register(
        case_id=case_id,
        tracking_code=code,
        intake=intake,
        officer=officer,
        now=now,
        parties=[hub.vault.seal(p, case_id=case_id) for p in parties],
        policy=hub.policy,
    )


async def register_case(
    hub: Hub,
    *,
    intake: Intake,
    parties: list[Party],
    officer: Officer,
    idempotency_key: str | None = None,
) -> Case:
    """登记. With an ``idempotency_key`` a retried registration (the answer lost to a timeout or
    a restart) returns the case the first attempt made instead of registering it twice."""
    now = now_utc()
    case_id = new_case_id(now)
    if idempotency_key is not None:
        case_id = await hub.external_refs.claim(f"window:{officer.id}:{idempotency_key}", case_id)
        if (earlier := await hub.cases.find(case_id)) is not None:
            return earlier
    case = await new_case(
        hub, case_id=case_id, intake=intake, parties=parties, officer=officer, now=now
    )
    try:
        return await hub.cases.add(case)
    except ConcurrencyError:
        if idempotency_key is None:
            raise
        return await hub.cases.get(case_id)  # the same retry, a moment ahead of this one


async def assess_case(
    hub: Hub, *, case_id: str, officer: Officer, override: loop.Override | None = None
) -> Case:
    return await change(
        hub,
        case_id,
        lambda c: loop.assess(
            c, policy=hub.policy, officer=officer, now=now_utc(), override=override
        ),
    )


async def dispatch_case(hub: Hub, *, case_id: str, officer: Officer) -> Case:
    def step(case: Case) -> list[Notice]:
        parties = [hub.vault.open(p, case_id=case.id) for p in case.parties]
        return loop.dispatch(
            case, policy=hub.policy, officer=officer, now=now_utc(), parties=parties
        )

    return await change(hub, case_id, step)


async def verify_case(hub: Hub, *, case_id: str, officer: Officer, passed: bool, note: str) -> Case:
    return await change(
        hub,
        case_id,
        lambda c: loop.verify(c, officer=officer, now=now_utc(), passed=passed, note=note),
    )


async def close_case(
    hub: Hub, *, case_id: str, officer: Officer, summary: str, outcome: Outcome | None
) -> Case:
    return await change(
        hub,
        case_id,
        lambda c: loop.close(c, officer=officer, now=now_utc(), summary=summary, outcome=outcome),
    )


async def follow_up_case(
    hub: Hub, *, case_id: str, officer: Officer, satisfaction: int, comment: str
) -> Case:
    return await change(
        hub,
        case_id,
        lambda c: loop.follow_up(
            c,
            officer=officer,
            now=now_utc(),
            satisfaction=satisfaction,
            comment=comment,
            policy=hub.policy,
        ),
    )


async def supervise_case(hub: Hub, *, case_id: str, now: datetime | None = None) -> Case:
    return await change(
        hub, case_id, lambda c: supervise(c, now=now or now_utc(), policy=hub.policy)
    )
