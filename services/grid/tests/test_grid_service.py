"""The grid service on the real broker and store: a transfer becomes a task for the worker the
duty rules choose, its steps go back to the sender through the outbox, a transfer outside the
territory is returned, patrol reports reach the hub, bad input is a 4xx that changes nothing; and
through the real gateway, a hub transfer is done by the right worker and its feedback reaches
the hub.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from fengqiao.contracts import Envelope, new_envelope, topics
from fengqiao.contracts.codes import Action, AgencyKind, Category, Severity
from fengqiao.contracts.envelope import from_record
from fengqiao.contracts.events import CaseTransferred, Location, Party
from fengqiao.messaging import EventProducer
from fengqiao.runtime import Runtime
from fengqiao.security import clear_secret_cache, issue_token, service_secret
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from gatewaykit import Exchange, private_key_text, running_gateway, serving_hub
from grid.bootstrap import grid_of
from grid.domain.duty import assignee
from grid.domain.task_steps import Transferred
from hubkit import staff as hub_staff

pytestmark = pytest.mark.asyncio(loop_scope="session")
MON_10 = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
IN_LIANHU_1 = {"lon": 112.85, "lat": 21.955, "address": "莲湖村三巷"}  # gw-01, head gh-201
AT_SEA = {"lon": 112.93, "lat": 21.86}


def key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def staff(agency: str, subject: str, *roles: str) -> dict[str, str]:
    roles = roles or ("grid_worker",)
    return staff_headers("grid", agency=agency, roles=roles, name=subject, subject=subject)


def transfer(case_id: str, location: dict[str, Any], action: Action = Action.MEDIATE) -> Any:
    return CaseTransferred(
        case_id=case_id,
        assignment_id=f"{case_id}-1",
        category=Category.NEIGHBOUR,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        title="邻里噪音纠纷",
        summary="楼上深夜噪音",
        location=Location.model_validate(location),
        due_at=MON_10 + timedelta(days=3),
        accept_by=MON_10 + timedelta(hours=2),
    )


class Outbound:
    """What the grid sends (xchg.out.<grid>), as the gateway would read it."""

    def __init__(self, kafka: KafkaSettings, agency: str) -> None:
        self.sent: list[Envelope] = []
        self._consumer = AIOKafkaConsumer(
            topics.outbound(agency),
            **kafka.client_args(),
            group_id=f"probe-{uuid.uuid4().hex[:8]}",
            auto_offset_reset="earliest",
            metadata_max_age_ms=1000,
        )

    async def wait_for(self, event_type: str, subject: str, timeout_s: float = 60) -> Envelope:
        def sent() -> Envelope | None:
            return next(
                (e for e in self.sent if e.type == event_type and e.subject == subject), None
            )

        return await until(sent, f"{event_type} about {subject}", timeout_s=timeout_s)

    async def _collect(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=200)
            for records in batch.values():
                self.sent += [from_record(r.value, r.headers) for r in records]

    @contextlib.asynccontextmanager
    async def listening(self) -> AsyncIterator[Outbound]:
        await self._consumer.start()
        task = asyncio.create_task(self._collect())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await self._consumer.stop()


@contextlib.asynccontextmanager
async def running_grid(
    kafka: KafkaSettings, mongo: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime, str]]:
    agency = f"grid-{uuid.uuid4().hex[:8]}"
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongo,
        "FENGQIAO_GRID_AGENCY_ID": agency,
        "FENGQIAO_GRID_DATABASE": f"test_{agency}",
        "FENGQIAO_GRID_TOKEN_KEY": key(),
        "FENGQIAO_GRID_SIGNING_KEY": key(),
        "FENGQIAO_GRID_HUB_AGENCY": f"hub-{agency}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    clear_secret_cache()
    from grid.main import create_app

    app = create_app()
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        grid_of(runtime).clock = lambda: MON_10  # a Monday morning: gw-01 is on duty
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://grid") as client:
            try:
                yield client, runtime, agency
            finally:
                await runtime.mongo.drop_database(runtime.db.name)


async def task_when(client: httpx.AsyncClient, auth: dict[str, str], task_id: str) -> Any:
    async def found() -> Any:
        answer = await client.get(f"/api/v1/tasks/{task_id}", headers=auth)
        return answer.json() if answer.status_code == 200 else None

    return await until(found, f"the task {task_id}")


async def test_a_transfer_becomes_a_task_whose_steps_go_back_to_the_sender(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with (
        running_grid(kafka, mongodb_uri, monkeypatch) as (client, _runtime, agency),
        Outbound(kafka, agency).listening() as outbound,
        EventProducer(kafka) as producer,
    ):
        worker = staff(agency, "gw-01")
        other = staff(agency, "gw-02")
        sent = new_envelope(
            transfer("case-1", IN_LIANHU_1),
            source="/agencies/hub-x",
            subject="case-1",
            recipient=agency,
        )
        await producer.publish(topics.inbound(agency), sent)
        await producer.publish(topics.inbound(agency), sent)  # a redelivery: still one task
        task = await task_when(client, worker, "case-1-1")
        assert task["assignee"] == "gw-01" and task["grid"] == "440781105201001"
        assert task["route"] == "responsible" and task["sender"] == "hub-x"
        assert task["accept_left_s"] == 7200

        inbox = (await client.get("/api/v1/tasks", headers=worker)).json()["items"]
        assert [t["id"] for t in inbox] == ["case-1-1"]
        assert (await client.get("/api/v1/tasks", headers=other)).json()["items"] == []
        head = staff(agency, "gh-201", "grid_head")
        assert len((await client.get("/api/v1/tasks", headers=head)).json()["items"]) == 1

        not_holder = await client.post("/api/v1/tasks/case-1-1/acceptance", headers=other)
        assert not_holder.status_code == 403, not_holder.text
        accepted = await client.post("/api/v1/tasks/case-1-1/acceptance", headers=worker)
        assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
        again = await client.post("/api/v1/tasks/case-1-1/acceptance", headers=worker)
        assert again.status_code == 409, again.text
        assert again.headers["content-type"].startswith("application/problem+json")
        unknown = await client.post("/api/v1/tasks/nope/acceptance", headers=worker)
        assert unknown.status_code == 404
        stranger = await client.post(
            "/api/v1/tasks/case-1-1/progress", json={"note": "x"}, headers=staff(agency, "ghost")
        )
        assert stranger.status_code == 403, stranger.text
        await client.post(
            "/api/v1/tasks/case-1-1/progress", json={"note": "已走访"}, headers=worker
        )
        done = await client.post(
            "/api/v1/tasks/case-1-1/feedback", json={"summary": "调解成功"}, headers=worker
        )
        assert done.status_code == 200 and done.json()["status"] == "done"
        after = await client.get("/api/v1/tasks/case-1-1", headers=worker)
        assert len(after.json()["progress"]) == 1  # the refused calls changed nothing

        for event_type in ("case.accepted.v1", "case.progressed.v1", "case.feedback.v1"):
            answer = await outbound.wait_for(event_type, "case-1")
            assert answer.recipient == "hub-x" and answer.source == f"/agencies/{agency}"
        feedback = await outbound.wait_for("case.feedback.v1", "case-1")
        assert feedback.data["summary"] == "调解成功"

        at_sea = new_envelope(
            transfer("case-2", AT_SEA),
            source="/agencies/police-x",
            subject="case-2",
            recipient=agency,
        )
        await producer.publish(topics.inbound(agency), at_sea)
        returned = await outbound.wait_for("case.returned.v1", "case-2")
        assert returned.recipient == "police-x"
        assert returned.data["reason_code"] == "grid.outside_territory"
        gone = await client.get("/api/v1/tasks/case-2-1", headers=worker)
        assert gone.status_code == 404
        await a_task_given_back_pages_and_masks(client, producer, outbound, agency)


async def a_task_given_back_pages_and_masks(
    client: httpx.AsyncClient, producer: EventProducer, outbound: Outbound, agency: str
) -> None:
    """The holder sees the parties whole, the head masked; a task given back reaches its
    sender with the reason; the inbox pages by cursor without repeats."""
    worker, head = staff(agency, "gw-01"), staff(agency, "gh-201", "grid_head")
    party = Party(name="黄大明", phone="13800138000", id_number="440781199001011234")
    order = transfer("case-3", IN_LIANHU_1).model_copy(update={"parties": [party]})
    sent = new_envelope(order, source="/agencies/hub-x", subject="case-3", recipient=agency)
    await producer.publish(topics.inbound(agency), sent)
    task = await task_when(client, worker, "case-3-1")
    assert task["parties"][0]["phone"] == "13800138000"
    seen_by_head = (await client.get("/api/v1/tasks/case-3-1", headers=head)).json()
    assert seen_by_head["parties"][0]["phone"] != "13800138000"
    assert "黄大明" not in seen_by_head["parties"][0]["name"]

    no_reason = await client.post(
        "/api/v1/tasks/case-3-1/return", json={"reason_code": "x"}, headers=worker
    )
    assert no_reason.status_code == 422, no_reason.text
    back = await client.post(
        "/api/v1/tasks/case-3-1/return",
        json={"reason_code": "grid.not_grid_matter", "reason": "属劳动仲裁, 非网格事项"},
        headers=worker,
    )
    assert back.status_code == 200 and back.json()["status"] == "returned", back.text
    again = await client.post(
        "/api/v1/tasks/case-3-1/return",
        json={"reason_code": "grid.not_grid_matter", "reason": "再退"},
        headers=worker,
    )
    assert again.status_code == 409, again.text
    returned = await outbound.wait_for("case.returned.v1", "case-3")
    assert returned.recipient == "hub-x" and returned.data["reason_code"] == "grid.not_grid_matter"

    first = (await client.get("/api/v1/tasks?limit=1", headers=head)).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = await client.get(f"/api/v1/tasks?limit=1&cursor={first['next_cursor']}", headers=head)
    second = rest.json()
    assert [t["id"] for t in first["items"] + second["items"]] == ["case-3-1", "case-1-1"]
    assert second["next_cursor"] is None
    bad = await client.get("/api/v1/tasks?cursor=not-a-cursor", headers=head)
    assert bad.status_code == 422, bad.text


async def test_patrol_reports_reach_the_hub_and_score(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with (
        running_grid(kafka, mongodb_uri, monkeypatch) as (client, runtime, agency),
        Outbound(kafka, agency).listening() as outbound,
    ):
        worker = staff(agency, "gw-01")
        body: dict[str, Any] = {
            "category": "neighbour",
            "description": "两户因排水沟争执",
            "location": IN_LIANHU_1,
            "result": "现场协调, 双方同意共同清理",
        }
        outside = await client.post(
            "/api/v1/reports", json={**body, "location": AT_SEA}, headers=worker
        )
        assert outside.status_code == 422, outside.text
        assert "in no grid" in outside.json()["detail"]
        nobody = await client.post("/api/v1/reports", json=body, headers=staff(agency, "ghost"))
        assert nobody.status_code == 403, nobody.text
        no_reason = await client.post(
            "/api/v1/reports", json={**body, "disposal": "to_hub"}, headers=worker
        )
        assert no_reason.status_code == 422, no_reason.text
        assert await runtime.db["reports"].count_documents({}) == 0

        resolved = await client.post("/api/v1/reports", json=body, headers=worker)
        assert resolved.status_code == 201, resolved.text
        report = resolved.json()
        assert report["status"] == "resolved" and report["grid"] == "440781105201001"
        told = await outbound.wait_for("case.reported.v1", report["id"])
        assert told.recipient == f"hub-{agency}"
        assert told.data["resolved_on_the_spot"]["summary"] == body["result"]

        up = await client.post(
            "/api/v1/reports",
            json={**body, "category": "theft", "disposal": "to_hub", "reason": "盗窃, 报派出所"},
            headers=worker,
        )
        assert up.status_code == 201 and up.json()["status"] == "escalated"
        escalated = await outbound.wait_for("case.reported.v1", up.json()["id"])
        assert escalated.data["resolved_on_the_spot"] is None

        scores = (await client.get("/api/v1/scores?month=2026-03", headers=worker)).json()
        assert {"worker": "gw-01", "name": "伍丽萍", "points": 4} in scores["workers"]
        [lianhu] = [g for g in scores["grids"] if g["grid"] == "440781105201001"]
        assert lianhu["points"] == 4 and lianhu["stars"] == 1

        found = await client.get("/api/v1/grids/at?lon=112.85&lat=21.955", headers=worker)
        assert found.json()["grid"] == "440781105201001" and found.json()["worker"] == "gw-01"
        sea = await client.get("/api/v1/grids/at?lon=112.93&lat=21.86", headers=worker)
        assert sea.status_code == 404


async def test_a_hub_transfer_is_done_by_the_right_worker(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    grid_id = exchange.of_kind(AgencyKind.GRID).id
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    rules = {
        "rules": [
            {
                "id": "neighbour-to-grid",
                "description": "test",
                "when": {"categories": ["neighbour"]},
                "lead": {"agency": grid_id, "action": "mediate"},
            }
        ]
    }
    async with serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri, rules) as hub:
        monkeypatch.setenv("FENGQIAO_GRID_AGENCY_ID", grid_id)
        monkeypatch.setenv("FENGQIAO_GRID_DATABASE", f"test_{grid_id}")
        monkeypatch.setenv("FENGQIAO_GRID_SIGNING_KEY", private_key_text(exchange.keys[grid_id]))
        monkeypatch.setenv("FENGQIAO_GRID_TOKEN_KEY", key())
        monkeypatch.setenv("FENGQIAO_GRID_HUB_AGENCY", exchange.id("intake"))
        clear_secret_cache()
        from grid.main import create_app

        app = create_app()
        async with running_gateway(), app.router.lifespan_context(app):
            runtime: Runtime = app.state.runtime
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://grid") as grid:
                try:
                    await through(exchange, hub, grid, runtime, grid_id)
                finally:
                    await runtime.mongo.drop_database(runtime.db.name)


async def through(
    exchange: Exchange,
    hub: httpx.AsyncClient,
    grid: httpx.AsyncClient,
    runtime: Runtime,
    grid_id: str,
) -> None:
    auth = hub_staff(exchange.id("intake"), "officer")
    body = {
        "channel": "walk_in",
        "category": "neighbour",
        "title": "邻里噪音纠纷",
        "description": "楼上深夜噪音",
        "location": {"town": "440781105", "lon": 112.85, "lat": 21.955},
    }
    created = await hub.post("/api/v1/cases", json=body, headers=auth)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    for action in ("assessment", "dispatch"):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{action}", json={}, headers=auth)
        assert answer.status_code == 200, answer.text

    head = {"Authorization": "Bearer " + grid_token(grid_id, "gh-201", "grid_head")}

    async def the_task() -> Any:
        page = (await grid.get("/api/v1/tasks", headers=head)).json()
        return page["items"][0] if page.get("items") else None

    task = await until(the_task, "the task at the grid", timeout_s=90)
    rules = grid_of(runtime)
    expected = assignee(
        Transferred(rules.territory.location("440781105201001", lon=112.85, lat=21.955), False),
        rules.territory,
        rules.roster,
        datetime.fromisoformat(task["assigned_at"]),
    )
    assert task["case_id"] == case_id and task["assignee"] == expected.worker
    worker = {"Authorization": "Bearer " + grid_token(grid_id, task["assignee"], "grid_worker")}
    for step, data in (("acceptance", None), ("feedback", {"summary": "调解成功"})):
        answer = await grid.post(f"/api/v1/tasks/{task['id']}/{step}", json=data, headers=worker)
        assert answer.status_code == 200, answer.text

    async def fed_back() -> Any:
        case = (await hub.get(f"/api/v1/cases/{case_id}", headers=auth)).json()
        [assignment] = case["assignments"]
        return case if assignment["status"] == "feedback" else None

    case = await until(fed_back, "the feedback at the hub", timeout_s=90)
    assert case["assignments"][0]["agency"] == grid_id
    for step, data in (("verification", {"note": "核实"}), ("closure", {"summary": "调解成功"})):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{step}", json=data, headers=auth)
        assert answer.status_code == 200, answer.text

    async def told_of_closure() -> Any:
        seen = (await grid.get(f"/api/v1/tasks/{task['id']}", headers=head)).json()
        return seen if any(n["note"].startswith("结案") for n in seen["notices"]) else None

    await until(
        told_of_closure, "the closure on the task", timeout_s=90
    )  # the hub's closure is a line on the task, not a dead letter
    await settled_on_the_spot_counts_at_the_hub(hub, grid, auth, grid_id, "gw-01")


async def settled_on_the_spot_counts_at_the_hub(
    hub: httpx.AsyncClient,
    grid: httpx.AsyncClient,
    auth: dict[str, str],
    grid_id: str,
    worker_id: str,
) -> None:
    """现场办结: a worker's patrol report settled on the spot becomes a closed hub case that
    counts in the hub's on-the-spot figures, beside the routed one above."""
    worker = {"Authorization": "Bearer " + grid_token(grid_id, worker_id, "grid_worker")}
    settled = {
        "category": "neighbour",
        "description": "两户因排水沟争执",
        "location": IN_LIANHU_1,
        "result": "现场协调, 双方同意共同清理",
    }
    filed = await grid.post("/api/v1/reports", json=settled, headers=worker)
    assert filed.status_code == 201, filed.text

    async def counted() -> Any:
        total = (await hub.get("/api/v1/stats", headers=auth)).json()["total"]
        return total if total["on_the_spot"] == 1 else None

    total = await until(counted, "the report in the hub's figures", timeout_s=90)
    assert (total["accepted"], total["routed"], total["on_the_spot"]) == (2, 1, 1)
    assert total["on_the_spot_share"] == 0.5


def grid_token(agency: str, subject: str, role: str) -> str:
    return issue_token(
        secret=service_secret("grid", "token-key"),
        agency=agency,
        subject=subject,
        name=subject,
        roles=[role],
    )
