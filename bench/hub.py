"""Throughput of the hub's own steps on the real store (no HTTP, no broker):

    uv run fengqiao infra up && uv run python bench/hub.py [N]

Registers N cases (parties sealed), assesses and dispatches each (two commits, the second with
two transfer events in the outbox), applies two acceptances and two feedbacks per case as a
consumer would (apply_once), runs a supervision pass over all of them, and computes /stats.
A benchmark, not a test: it prints figures and asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from fengqiao.contracts.codes import Category, Channel, Outcome
from fengqiao.contracts.events import CaseAccepted, CaseFeedback, Location, Party
from fengqiao.messaging import apply_once
from fengqiao.security import FieldCipher
from fengqiao.settings import InfraSettings
from fengqiao.storage import connect
from intake.adapters.parties import PartyVault
from intake.adapters.store import CaseKeys, all_cases, case_repository
from intake.bootstrap import Hub
from intake.domain import loop, stats
from intake.domain.case import Case, Officer
from intake.domain.policy import default_policy
from intake.domain.registration import Intake
from intake.domain.supervision import supervise
from intake.handlers import cases as handlers
from intake.settings import HubSettings

OFFICER = Officer(id="bench", name="压测")
INTAKE = Intake(
    channel=Channel.WALK_IN,
    category=Category.LAND_RURAL,
    title="承包地边界纠纷",
    description="两户村民因承包地边界发生争执。",
    location=Location(county="440781", town="440781106", village="440781106201"),
)
PARTY = Party(name="张三", id_number="11010519491231002X", phone="13812345678")


async def timed(label: str, n: int, work: Callable[[], Awaitable[None]]) -> None:
    start = time.perf_counter()
    await work()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {n:>6} in {seconds:6.2f}s  {n / seconds:8.0f}/s", flush=True)


async def in_parallel(items: list[str], work: Callable[[str], Awaitable[object]]) -> None:
    limit = asyncio.Semaphore(32)

    async def one(item: str) -> None:
        async with limit:
            await work(item)

    await asyncio.gather(*(one(i) for i in items))


async def main(n: int) -> None:
    client = connect(InfraSettings().mongodb_uri)
    db = client[f"bench_hub_{uuid.uuid4().hex[:8]}"]
    hub = Hub(
        cases=case_repository(db),
        tracking=CaseKeys(db, "tracking_codes"),
        external_refs=CaseKeys(db, "external_refs"),
        vault=PartyVault(FieldCipher(b"k" * 32)),
        policy=default_policy(),
        agency="intake",
        tracking_key=b"t" * 32,
        settings=HubSettings(),
    )
    ids: list[str] = []

    async def register(_: str) -> None:
        case = await handlers.register_case(hub, intake=INTAKE, parties=[PARTY], officer=OFFICER)
        ids.append(case.id)

    try:
        await timed("register (sealed parties)", n, lambda: in_parallel(["x"] * n, register))
        await timed(
            "assess",
            n,
            lambda: in_parallel(
                ids, lambda i: handlers.assess_case(hub, case_id=i, officer=OFFICER)
            ),
        )
        await timed(
            "dispatch (2 transfers to the outbox)",
            n,
            lambda: in_parallel(
                ids, lambda i: handlers.dispatch_case(hub, case_id=i, officer=OFFICER)
            ),
        )

        async def answer(case_id: str) -> None:
            case = await hub.cases.get(case_id)
            for a in case.assignments:
                now = datetime.now(UTC)
                for event in (
                    CaseAccepted(case_id=case_id, assignment_id=a.id, accepted_at=now, handler="x"),
                    CaseFeedback(
                        case_id=case_id,
                        assignment_id=a.id,
                        at=now,
                        outcome=Outcome.RESOLVED,
                        summary="ok",
                    ),
                ):
                    step = loop.accepted if isinstance(event, CaseAccepted) else loop.feedback

                    def change(
                        c: Case | None, e: object = event, s: object = step, agency: str = a.agency
                    ) -> tuple[Case, list[object]]:
                        assert c is not None
                        s(c, e, event_id="-", agency=agency)  # type: ignore[operator]
                        return c, []

                    await apply_once(hub.cases, case_id, uuid.uuid4().hex, change)  # type: ignore[arg-type]

        await timed(
            "force events applied once (4 per case)", 4 * n, lambda: in_parallel(ids, answer)
        )
        later = datetime.now(UTC) + timedelta(days=30)
        await timed(
            "supervision pass (cards fall)",
            n,
            lambda: in_parallel(
                ids,
                lambda i: handlers.change(
                    hub, i, lambda c: supervise(c, now=later, policy=hub.policy)
                ),
            ),
        )

        async def compute() -> None:
            stats.compute([c async for c in all_cases(hub.cases, {})])

        await timed("stats over all cases", n, compute)
    finally:
        await client.drop_database(db.name)
        await client.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
