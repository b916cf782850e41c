"""The station behind the real gateway: a theft reported to the hub reaches police as an order,
its staff work it through to closure, the hub's case shows the police assignment fed back; the
grid's follow-up visit reaches the real grid service, whose worker does it, and its result
reaches the hub through the station. Real broker, real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from fengqiao.contracts.codes import AgencyKind
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from gatewaykit import Exchange, Inboxes, running_gateway, serving_force, serving_hub
from grid.bootstrap import Grid, grid_of
from hubkit import staff as hub_staff

pytestmark = pytest.mark.asyncio(loop_scope="session")
FENGJIANG_1 = "440781105207001"  # 丰江村第一网格, where the theft happened

THEFT: dict[str, Any] = {
    "channel": "walk_in",
    "category": "theft",
    "title": "电动车被盗",
    "description": "都斛墟市场门口电动车被盗。",
    # About 70 m from the station's car u-car-01.
    "location": {"town": "440781106", "lon": 112.9005, "lat": 21.9005},
}


def police_staff(agency: str, role: str, name: str) -> dict[str, str]:
    return staff_headers("police", agency=agency, roles=[role], name=name)


async def test_a_theft_goes_from_the_hub_to_police_and_back_with_a_grid_follow_up(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    police_id = exchange.of_kind(AgencyKind.POLICE).id
    grid_id = exchange.of_kind(AgencyKind.GRID).id
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    rules = {
        "rules": [
            {
                "id": "theft-to-police",
                "description": "test",
                "when": {"categories": ["theft"]},
                "lead": {"agency": police_id, "action": "investigate"},
            }
        ]
    }
    async with serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri, rules) as hub:
        hub_id = exchange.id("intake")
        inboxes = Inboxes(kafka, exchange.suffix)
        async with (
            running_gateway(),
            serving_force(exchange, monkeypatch, "police", grid_agency=grid_id) as (police, _),
            serving_force(exchange, monkeypatch, "grid", hub_agency=hub_id) as (grid, runtime),
            inboxes.listening(),
        ):
            case, incident = await through(exchange, hub, police, police_id)
            visits = await inboxes.wait_for(
                lambda agency, e: agency == grid_id and e.type == "case.transferred.v1", 1
            )
            note = await grid_follows_up(grid, grid_of(runtime), grid_id)
            case = await hub_hears(hub, exchange, case["id"], note)

    [assignment] = case["assignments"]
    assert assignment["agency"] == police_id and assignment["status"] == "feedback"
    assert assignment["feedback"]["summary"] == "电动车追回, 已发还失主"
    assert note in assignment["progress"][-1]["note"]  # the grid's visit, relayed by police
    assert case["id"] == incident["hub"]["case_id"]
    assert incident["status"] == "closed" and incident["unit_id"] == "u-car-01"
    [(_, visit)] = visits
    assert visit.source == f"/agencies/{police_id}" and visit.recipient == grid_id
    assert visit.signature  # the gateway delivers only what the sender signed
    assert visit.subject == incident["id"] == incident["grid_follow_up"].removesuffix("-grid")
    assert visit.data["parties"][0]["name"] == "黄大"
    orders = [e for e in inboxes.at(grid_id) if e.type.startswith("case.")]
    assert {e.source for e in orders} == {f"/agencies/{police_id}"}


async def grid_follows_up(grid: httpx.AsyncClient, rules: Grid, grid_id: str) -> str:
    """The grid head sees the station's visit order; its worker accepts and reports back."""
    [post] = [p for p in rules.roster.posts if p.grid == FENGJIANG_1]
    head = staff_headers(
        "grid", agency=grid_id, roles=["grid_head"], name=post.head, subject=post.head
    )

    async def the_task() -> dict[str, Any] | None:
        answer = await grid.get("/api/v1/tasks", headers=head)
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items[0] if items else None

    task = await until(the_task, "the station's follow-up order at the grid", timeout_s=90)
    assert task["action"] == "visit" and task["grid"] == FENGJIANG_1
    worker = staff_headers(
        "grid", agency=grid_id, roles=["grid_worker"], name="w", subject=task["assignee"]
    )
    summary = "已走访失主黄大, 车辆已领回, 无异议"
    for step, body in (("acceptance", None), ("feedback", {"summary": summary})):
        answer = await grid.post(f"/api/v1/tasks/{task['id']}/{step}", json=body, headers=worker)
        assert answer.status_code == 200, (step, answer.text)
    return summary


async def hub_hears(
    hub: httpx.AsyncClient, exchange: Exchange, case_id: str, note: str
) -> dict[str, Any]:
    auth = hub_staff(exchange.id("intake"), "officer")

    async def relayed() -> dict[str, Any] | None:
        case: dict[str, Any] = (await hub.get(f"/api/v1/cases/{case_id}", headers=auth)).json()
        notes = [p["note"] for a in case["assignments"] for p in a["progress"]]
        return case if any(note in n for n in notes) else None

    return await until(relayed, "the grid's follow-up on the hub's case", timeout_s=90)


async def through(
    exchange: Exchange, hub: httpx.AsyncClient, police: httpx.AsyncClient, police_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Register and dispatch the theft at the hub, work it at the station; the hub's case once
    police's feedback is on it, and the station's closed incident."""
    auth = hub_staff(exchange.id("intake"), "officer")
    created = await hub.post("/api/v1/cases", json=THEFT, headers=auth)
    assert created.status_code == 201, created.text
    case_id: str = created.json()["id"]
    for action in ("assessment", "dispatch"):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{action}", json={}, headers=auth)
        assert answer.status_code == 200, answer.text

    desk = police_staff(police_id, "dispatcher", "值班民警 周")
    officer = police_staff(police_id, "officer", "民警 李")

    async def the_incident() -> dict[str, Any] | None:
        answer = await police.get("/api/v1/incidents", headers=desk)
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items[0] if items else None

    incident = await until(the_incident, "the hub's order at the station", timeout_s=90)
    assert incident["source"] == "hub" and incident["category"] == "theft"
    path = f"/api/v1/incidents/{incident['id']}"
    accepted = await police.post(f"{path}/acceptance", json={}, headers=desk)
    assert accepted.status_code == 200, accepted.text
    sent = await police.post(f"{path}/dispatch", json={}, headers=desk)
    assert sent.status_code == 200, sent.text
    assert sent.json()["unit_id"] == "u-car-01"  # the nearest free unit
    for step, body in (
        ("arrival", {}),
        ("disposal", {"summary": "现场勘查, 调取监控", "parties": [{"name": "黄大"}]}),
        ("closure", {"outcome": "resolved", "summary": "电动车追回, 已发还失主"}),
    ):
        answer = await police.post(f"{path}/{step}", json=body, headers=officer)
        assert answer.status_code == 200, (step, answer.text)
    closed: dict[str, Any] = (await police.get(path, headers=desk)).json()

    async def fed_back() -> dict[str, Any] | None:
        case: dict[str, Any] = (await hub.get(f"/api/v1/cases/{case_id}", headers=auth)).json()
        done = any(a["status"] == "feedback" for a in case["assignments"])
        return case if done else None

    return await until(fed_back, "police's feedback on the hub's case", timeout_s=90), closed
