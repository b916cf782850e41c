"""现场办结: a force's report of a matter it settled on the spot is registered and closed at once,
answered with case.registered, and counted in the hub's on-the-spot share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from builders import T0, assess_and_dispatch, new_case
from fengqiao.contracts.codes import Category, Channel, Outcome
from fengqiao.contracts.events import CaseReported, Location, OnTheSpot
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from hubkit import configure_hub, running_hub, staff
from intake.domain import loop
from intake.domain.case import CaseStatus
from intake.domain.errors import IllegalTransition
from intake.domain.stats import compute
from intake.domain.timeline import Step

SETTLED = OnTheSpot(at=T0, outcome=Outcome.RESOLVED, summary="劝离占道摊贩", handler="网格员 陈五")


def test_a_settled_matter_is_closed_at_once_and_counted() -> None:
    case = new_case(Category.NEIGHBOUR, case_id="spot-1")
    loop.settled_on_the_spot(case, SETTLED, agency="grid")
    assert case.status is CaseStatus.CLOSED and case.on_the_spot
    assert case.closure is not None and case.closure.outcome == "resolved"
    assert case.timeline[-1].step is Step.SETTLED_ON_THE_SPOT
    routed = new_case(Category.THEFT, case_id="routed-1")
    assess_and_dispatch(routed, now=T0)
    total = compute([case, routed, new_case(Category.OTHER, case_id="open-1")]).total
    assert (total.on_the_spot, total.routed, total.accepted) == (1, 1, 3)
    assert total.on_the_spot_share == 0.3333 and total.routed_share == 0.3333
    assert total.finished == 1 and total.resolved == 1


def test_a_case_under_way_cannot_be_settled_on_the_spot() -> None:
    case = new_case(Category.THEFT)
    assess_and_dispatch(case, now=T0)
    with pytest.raises(IllegalTransition):
        loop.settled_on_the_spot(case, SETTLED, agency="grid")


@pytest.mark.asyncio(loop_scope="session")
async def test_a_grid_report_settled_on_the_spot_shows_in_the_hub_figures(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hub_id = configure_hub(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    analyst = staff(hub_id, "analyst")
    now = datetime.now(UTC)
    report = CaseReported(
        external_ref="grid-report-77",
        channel=Channel.GRID,
        category=Category.NEIGHBOUR,
        title="占道经营",
        description="摊贩占用村道",
        location=Location(town="440781100", village="440781100201", grid="G07"),
        reported_at=now,
        resolved_on_the_spot=OnTheSpot(
            at=now, outcome=Outcome.RESOLVED, summary="劝离摊贩，道路畅通", handler="网格员 陈五"
        ),
    )
    async with running_hub(kafka) as (client, forces, _):
        await forces.say("grid", report, subject="grid-report-77")
        [told] = await forces.received(lambda e: e.type == "case.registered.v1")
        assert told.recipient == "grid" and told.data["external_ref"] == "grid-report-77"

        async def accepted() -> dict[str, Any] | None:
            total: dict[str, Any] = (await client.get("/api/v1/stats", headers=analyst)).json()[
                "total"
            ]
            return total if total["accepted"] else None

        figures = await until(accepted, "the case in the figures", timeout_s=10)
    assert figures["on_the_spot"] == 1 and figures["on_the_spot_share"] == 1.0
    assert figures["finished"] == 1 and figures["routed"] == 0
