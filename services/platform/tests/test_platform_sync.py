"""The adapter against a running platform-sim, with the real hub and gateway, broker and store:
duplicates never make two cases, bad upstream input is recorded with its reason and the sync
goes on, a platform failing 30% of calls loses nothing and catches up, a hub closure appears on
the platform, and a status the platform dropped is repaired by reconciliation."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import CaseAccepted, CaseFeedback
from fengqiao.messaging import EventProducer
from fengqiao.runtime import Runtime
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from gatewaykit import Exchange, publish, running_gateway, serving, serving_force, serving_hub
from hubkit import staff as hub_staff
from platform_adapter.sim.app import create_sim_app
from platform_adapter.sim.config import SimConfig
from platform_adapter.sim.state import Sim

pytestmark = pytest.mark.asyncio(loop_scope="session")
LIANHU = "440781105201"
HUANG = {"name": "黄大明", "phone": "13800138000"}


@dataclass
class Running:
    exchange: Exchange
    sim: Sim
    hub: httpx.AsyncClient
    adapter: httpx.AsyncClient
    runtime: Runtime
    operator: dict[str, str]
    officer: dict[str, str]
    kafka: KafkaSettings

    async def record(self, event_id: str) -> Any:
        answer = await self.adapter.get(f"/api/v1/records/{event_id}", headers=self.operator)
        return answer.json() if answer.status_code == 200 else None

    async def hub_cases(self) -> list[Any]:
        answer = await self.hub.get("/api/v1/cases?limit=200", headers=self.officer)
        assert answer.status_code == 200, answer.text
        items: list[Any] = answer.json()["items"]
        return items


@contextlib.asynccontextmanager
async def running(
    config: SimConfig,
    kafka: KafkaSettings,
    mongo: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> AsyncIterator[Running]:
    exchange = Exchange()
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongo)
    hub_id, platform = exchange.id("intake"), exchange.id("platform")
    sim_app = create_sim_app(config)
    async with (
        serving(sim_app) as sim_url,
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongo) as hub,
        running_gateway(),
        serving_force(
            exchange,
            monkeypatch,
            "platform",
            upstream_url=sim_url,
            hub_agency=hub_id,
            poll_interval_s="0.3",
            push_interval_s="0.3",
            reconcile_interval_s="3600",
            timeout_s="1",
            breaker_cooldown_s="1",
        ) as (adapter, runtime),
    ):
        operator = staff_headers(
            "platform", agency=platform, roles=["sync_operator"], name="运维 周"
        )
        officer = hub_staff(hub_id, "officer")
        sim = sim_app.state.sim
        yield Running(exchange, sim, hub, adapter, runtime, operator, officer, kafka)


async def test_duplicates_and_garbage_never_make_extra_cases_and_a_replay_changes_nothing(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = SimConfig(seed=7)
    async with running(config, kafka, mongodb_uri, monkeypatch, tmp_path) as run:
        sim = run.sim
        theft = sim.add_event(category_code="ZA-0101", area_code=LIANHU, reporter=HUANG)
        again = sim.repeat(theft["event_id"])  # the same incident through another channel
        wage = sim.add_event(category_code="LD-0301", area_code=LIANHU)
        sim.add_raw("<html>502 Bad Gateway</html>", kind="garbage")
        sim.add_raw({**wage, "event_id": "YPA-BAD-CODE", "category_code": "ZZ-9999"})
        sim.add_raw({"event_id": "YPA-NO-FIELDS"}, kind="missing_fields")

        async def registered() -> Any:
            record = await run.record(theft["event_id"])
            return record if record and record["state"] == "registered" else None

        first = await until(registered, "the theft registered at the hub", timeout_s=120)

        async def linked() -> Any:
            record = await run.record(again["event_id"])
            return record if record and record["case_id"] else None

        duplicate = await until(linked, "the repeat linked to the theft's case", timeout_s=120)
        unknown = await run.record("YPA-BAD-CODE")
        no_fields = await run.record("YPA-NO-FIELDS")
        rejections = (await run.adapter.get("/api/v1/rejections", headers=run.operator)).json()

        async def announced() -> Any:
            return sim.view_of(again["event_id"]) if sim.status_of(again["event_id"]) else None

        view = await until(announced, "the platform told of the repeat", timeout_s=120)
        await until(lambda: two_cases(run), "the wage case at the hub", timeout_s=120)
        # Forget the cursor, as after a lost disk: the whole list is read again.
        await run.runtime.db["sync_state"].delete_many({})
        pulled = (await status(run))["pulled"]

        async def reread() -> Any:
            figures = await status(run)
            return figures if figures["pulled"] >= 2 * pulled else None

        await until(reread, "the list read again from the start", timeout_s=120)
        cases = await run.hub_cases()
        wage_record = await run.record(wage["event_id"])

    assert duplicate["state"] == "duplicate" and duplicate["duplicate_of"] == theft["event_id"]
    assert duplicate["case_id"] == first["case_id"]
    assert (view["status"], view["duplicate_of"]) == ("duplicate", theft["event_id"])
    assert unknown["state"] == "rejected" and unknown["reason_code"] == "platform.unknown_category"
    assert "ZZ-9999" in unknown["reason"]
    assert no_fields["state"] == "rejected" and no_fields["reason_code"] == "platform.malformed"
    assert [r["reason_code"] for r in rejections["items"]] == ["platform.malformed"]
    made = sorted([first["case_id"], wage_record["case_id"]])
    assert sorted(c["id"] for c in cases) == made, "one case per incident"


async def two_cases(run: Running) -> bool | None:
    return True if len(await run.hub_cases()) == 2 else None


async def status(run: Running) -> Any:
    return (await run.adapter.get("/api/v1/sync/status", headers=run.operator)).json()


async def test_failures_lose_nothing_a_closure_reaches_the_platform_and_drift_is_repaired(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = SimConfig(seed=11, failure_rate=0.3, slow_s=1.5, duplicate_share=0, malformed_share=0)
    async with running(config, kafka, mongodb_uri, monkeypatch, tmp_path) as run:
        sim = run.sim
        events = sim.generate(12)
        ids = [e["event_id"] for e in events]

        async def all_received() -> Any:
            shown = sim.statuses()
            return shown if all(shown.get(i) == "received" for i in ids) else None

        await until(
            all_received,
            "every event registered and shown received, through failures",
            timeout_s=120,
        )
        failed = sum(sim.injected.values())
        sim.set_failure_rate(0)
        closed_id, dropped_id = ids[0], ids[1]
        await closed_at_the_hub(run, closed_id)

        async def closed_upstream() -> Any:
            return sim.view_of(closed_id) if sim.status_of(closed_id) == "closed" else None

        view = await until(closed_upstream, "the hub's closure on the platform", timeout_s=120)
        sim.lose_status(dropped_id)
        assert sim.status_of(dropped_id) is None
        answer = await run.adapter.post("/api/v1/sync/reconciliation", headers=run.operator)
        repaired_status = sim.status_of(dropped_id)
        cases = await run.hub_cases()
        made = [(await run.record(i))["case_id"] for i in ids]

    assert failed > 0, "the platform failed some calls meanwhile"
    assert sorted(c["id"] for c in cases) == sorted(made), "nothing lost, nothing twice"
    statuses = [h["status"] for h in view["history"]]
    assert {"received", "assigned", "finished"} <= set(statuses)
    assert view["closure"]["outcome"] == "resolved"
    assert answer.status_code == 200 and answer.json()["repaired"] >= 1
    assert repaired_status == "received"


async def shown(run: Running, event_id: str, status: str) -> None:
    """Wait until the platform shows ``status`` for the event: each hub step is pushed."""

    async def probe() -> bool | None:
        return True if run.sim.status_of(event_id) == status else None

    await until(probe, f"{event_id} shown {status} on the platform", timeout_s=120)


async def closed_at_the_hub(run: Running, event_id: str) -> None:
    """Route the event's case to police, answer as police, verify and close it at the hub."""
    record = await until(lambda: run.record(event_id), "the record", timeout_s=120)
    case_id = record["case_id"]
    police = run.exchange.id("police")
    override = {"tasks": [{"agency": police, "action": "investigate"}], "reason": "测试"}
    hub, auth = run.hub, run.officer
    for step, body in (("assessment", {"override": override}), ("dispatch", {})):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{step}", json=body, headers=auth)
        assert answer.status_code == 200, answer.text
    [assignment] = answer.json()["assignments"]
    await shown(run, event_id, "assigned")
    now = datetime.now(UTC)
    answers = [
        CaseAccepted(
            case_id=case_id, assignment_id=assignment["id"], accepted_at=now, handler="民警 李"
        ),
        CaseFeedback(
            case_id=case_id,
            assignment_id=assignment["id"],
            at=now,
            outcome=Outcome.RESOLVED,
            summary="已查明, 追回",
        ),
    ]
    hub_id = run.exchange.id("intake")
    async with EventProducer(run.kafka) as producer:
        for data in answers:
            signed = run.exchange.envelope(police, data, recipient=hub_id, subject=case_id)
            await publish(producer, signed, police)

    async def awaiting() -> Any:
        case = (await hub.get(f"/api/v1/cases/{case_id}", headers=auth)).json()
        return case if case["status"] == "awaiting_verification" else None

    await until(awaiting, "police's feedback at the hub", timeout_s=120)
    await shown(run, event_id, "finished")
    closing: list[tuple[str, Any]] = [
        ("verification", {"note": "核实"}),
        ("closure", {"summary": "已办结"}),
    ]
    for step, body in closing:
        answer = await hub.post(f"/api/v1/cases/{case_id}/{step}", json=body, headers=auth)
        assert answer.status_code == 200, answer.text
