"""The station as its staff and the hub see it: a hub order becomes an incident, every step
answers the hub through the outbox, the grid is asked to follow up, one unit is never sent
twice, and bad input gets a 4xx that changes nothing. Real broker, real store."""

from __future__ import annotations

import asyncio
import base64
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from fengqiao.contracts import Envelope
from fengqiao.contracts.codes import Action, Category, Severity
from fengqiao.contracts.events import CaseTransferred, Location
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from fengqiao.testing.services import running_service
from police.main import create_app

HUB, GRID = "hub-test", "grid-test"
SCENE = Location(town="440781106", grid="G07", address="都斛墟", lon=112.9005, lat=21.9005)
WALK_IN: dict[str, Any] = {
    "source": "walk_in",
    "priority": "urgent",
    "category": "theft",
    "title": "电动车被盗",
    "description": "市场门口电动车被盗。",
    "location": {"town": "440781106", "lon": 112.9031, "lat": 21.9041},
}


def configure(monkeypatch: pytest.MonkeyPatch, *, kafka: KafkaSettings, mongo: str) -> str:
    agency = f"police-{uuid.uuid4().hex[:8]}"
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongo,
        "FENGQIAO_POLICE_AGENCY_ID": agency,
        "FENGQIAO_POLICE_DATABASE": f"test_{agency}",
        "FENGQIAO_POLICE_GRID_AGENCY": GRID,
    }
    for purpose in ("TOKEN_KEY", "SIGNING_KEY"):
        env[f"FENGQIAO_POLICE_{purpose}"] = base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    clear_secret_cache()
    return agency


def staff(agency: str, *roles: str, name: str = "值班民警 周") -> dict[str, str]:
    return staff_headers("police", agency=agency, roles=roles or ("dispatcher",), name=name)


def order(assignment_id: str, severity: Severity = Severity.MAJOR) -> CaseTransferred:
    now = datetime.now(UTC)
    return CaseTransferred(
        case_id="c0ffee00000000000001",
        assignment_id=assignment_id,
        tracking_code="DH2026-0001",
        category=Category.THEFT,
        severity=severity,
        action=Action.INVESTIGATE,
        lead=True,
        title="村民报称耕牛被盗",
        summary="昨夜耕牛被盗, 请派出所侦查。",
        location=SCENE,
        accept_by=now + timedelta(hours=2),
        due_at=now + timedelta(days=5),
    )


async def incidents_when(
    client: httpx.AsyncClient, auth: dict[str, str], count: int
) -> list[dict[str, Any]]:
    async def enough() -> list[dict[str, Any]] | None:
        answer = await client.get("/api/v1/incidents", headers=auth)
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items if len(items) >= count else None

    return await until(enough, f"{count} incidents")


def types_to(sent: list[Envelope], recipient: str) -> list[str]:
    return [e.type for e in sent if e.recipient == recipient]


async def test_a_hub_order_is_answered_step_by_step_and_the_grid_follows_up(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    police = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    desk, officer = staff(police, "dispatcher"), staff(police, "officer", name="民警 李")
    async with running_service(create_app, kafka, name="police") as (client, others, _):
        transfer = await others.say(HUB, order("a-1"), subject="c0ffee00000000000001")
        # A redelivery of the same order, and the order sent again under a new event id.
        await others._producer.publish(f"xchg.in.{police}", transfer)
        await others.say(HUB, order("a-1"), subject="c0ffee00000000000001")
        [item] = await incidents_when(client, desk, 1)
        assert item["status"] == "reported" and item["source"] == "hub"
        assert item["priority"] == "urgent" and item["level"] == "three_minutes"
        assert item["clocks"]["accept_by"] is not None
        incident_id = item["id"]
        path = f"/api/v1/incidents/{incident_id}"

        accepted = await client.post(f"{path}/acceptance", json={}, headers=desk)
        assert accepted.status_code == 200, accepted.text
        sent = await client.post(f"{path}/dispatch", json={}, headers=desk)
        assert sent.status_code == 200, sent.text
        assert sent.json()["unit_id"] == "u-car-01"  # the nearest, ~70 m away
        units = {u["id"]: u for u in (await client.get("/api/v1/units", headers=desk)).json()}
        assert units["u-car-01"]["status"] == "dispatched"
        for step, body in (
            ("arrival", {}),
            ("disposal", {"summary": "现场勘查, 固定证据", "parties": [{"name": "黄大"}]}),
            ("investigation", {"note": "调取监控"}),
            ("closure", {"outcome": "resolved", "summary": "耕牛追回, 嫌疑人已抓获"}),
        ):
            answer = await client.post(f"{path}/{step}", json=body, headers=officer)
            assert answer.status_code == 200, (step, answer.text)
        final = (await client.get(path, headers=desk)).json()
        units = {u["id"]: u for u in (await client.get("/api/v1/units", headers=desk)).json()}
        stats = (await client.get("/api/v1/stats/response", headers=desk)).json()

        to_hub = [
            "case.accepted.v1",
            "case.progressed.v1",
            "case.progressed.v1",
            "case.progressed.v1",
            "case.progressed.v1",
            "case.feedback.v1",
        ]
        await others.received(lambda e: e.type == "case.feedback.v1")
        await others.received(lambda e: e.recipient == GRID)
    assert final["status"] == "closed" and final["grid_follow_up"] == f"{incident_id}-grid"
    assert units["u-car-01"]["status"] == "available"
    assert types_to(others.sent, HUB) == to_hub
    assert all(e.subject == "c0ffee00000000000001" for e in others.sent if e.recipient == HUB)
    [visit] = [e for e in others.sent if e.recipient == GRID]
    assert visit.type == "case.transferred.v1" and visit.subject == incident_id
    assert visit.data["parties"][0]["name"] == "黄大"
    assert stats["overall"]["counted"] == 1 and stats["overall"]["inside"] == 1


async def test_refused_steps_change_nothing_and_a_unit_is_sent_once(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    police = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    desk = staff(police, "dispatcher")
    async with running_service(create_app, kafka, name="police") as (client, others, _):
        created = [
            (await client.post("/api/v1/incidents", json=WALK_IN, headers=desk)).json()
            for _ in range(3)
        ]
        first, second, third = (f"/api/v1/incidents/{c['id']}" for c in created)
        before = (await client.get(first, headers=desk)).json()
        refusals = {
            "closure too early": await client.post(
                f"{first}/closure", json={"outcome": "resolved", "summary": "结"}, headers=desk
            ),
            "own incident accepted": await client.post(
                f"{first}/acceptance", json={}, headers=desk
            ),
            "unknown unit": await client.post(
                f"{first}/dispatch", json={"unit_id": "u-none"}, headers=desk
            ),
            "unknown incident": await client.get(
                "/api/v1/incidents/00000000000000000000", headers=desk
            ),
            "bad priority": await client.post(
                "/api/v1/incidents", json={**WALK_IN, "priority": "whenever"}, headers=desk
            ),
            "posing as the hub": await client.post(
                "/api/v1/incidents", json={**WALK_IN, "source": "hub"}, headers=desk
            ),
            "no token": await client.get("/api/v1/incidents"),
            "officer cannot dispatch": await client.post(
                f"{first}/dispatch", json={}, headers=staff(police, "officer")
            ),
        }
        after = (await client.get(first, headers=desk)).json()
        # Two dispatchers race for the same car on two incidents: exactly one gets it.
        race = await asyncio.gather(
            *(
                client.post(f"{p}/dispatch", json={"unit_id": "u-car-01"}, headers=desk)
                for p in (second, third)
            )
        )
        winner = (second, third)[[r.status_code for r in race].index(200)]
        again = await client.post(f"{winner}/dispatch", json={}, headers=desk)
        listed = await incidents_when(client, desk, 3)
        pages = await paged(client, desk, limit=2)
        refusals["bad cursor"] = await client.get("/api/v1/incidents?cursor=%25%25", headers=desk)
        units = {u["id"]: u for u in (await client.get("/api/v1/units", headers=desk)).json()}
    assert {k: r.status_code for k, r in refusals.items()} == {
        "closure too early": 409,
        "own incident accepted": 409,
        "unknown unit": 404,
        "unknown incident": 404,
        "bad priority": 422,
        "posing as the hub": 422,
        "no token": 401,
        "officer cannot dispatch": 403,
        "bad cursor": 422,
    }
    assert all(r.headers["content-type"] == "application/problem+json" for r in refusals.values())
    assert after == before
    assert len(listed) == 3
    assert sorted(r.status_code for r in race) == [200, 409]
    assert again.status_code == 409  # already dispatched
    assert units["u-car-01"]["status"] == "dispatched"
    assert sum(u["status"] == "dispatched" for u in units.values()) == 1
    assert [i["unit_id"] for i in listed].count("u-car-01") == 1
    assert others.sent == []  # the station's own incidents tell the hub nothing
    assert [len(p) for p in pages] == [2, 1]
    assert [i["id"] for p in pages for i in p] == [i["id"] for i in listed]  # newest first


async def paged(client: httpx.AsyncClient, auth: dict[str, str], *, limit: int) -> list[Any]:
    """Every page of the inbox, following ``next_cursor``."""
    pages, cursor = [], None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(f"/api/v1/incidents{query}", headers=auth)).json()
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
