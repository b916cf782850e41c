"""People's mediation given court force, through the real gateway: a rural land dispute goes
hub → justice office (rural-land committee) → agreement → court judicial confirmation → the
ruling back to the justice office and on to the hub, which closes with it on the timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crosskit import (
    DUHU,
    case_when,
    first_item,
    registered_and_dispatched,
    routing,
    verified_and_closed,
)
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers
from gatewaykit import Exchange, running_gateway, serving_force, serving_hub
from hubkit import staff as hub_staff

pytestmark = pytest.mark.asyncio(loop_scope="session")

LAND = {
    "channel": "walk_in",
    "category": "land_rural",
    "title": "承包地边界纠纷",
    "description": "两户因承包地田埂位置争执, 一方占用约三分地。",
    "location": {**DUHU, "village": "440781105201", "address": "莲湖村东洋田"},
    "parties": [
        {"name": "黄阿明", "role": "applicant", "id_number": "440781198001011233"},
        {"name": "伍阿强", "role": "respondent"},
    ],
}
TERMS = ["以2015年确权图为准重新立界", "伍阿强于次月底前恢复田埂原状"]


async def test_a_land_dispute_is_mediated_confirmed_by_the_court_and_closed_with_the_ruling(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    hub_id, justice, court = (exchange.id(a) for a in ("intake", "justice", "court"))
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    rules = routing("land_rural", justice, "mediate")
    async with (
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri, rules) as hub,
        running_gateway(),
        serving_force(exchange, monkeypatch, "justice", court_agency=court) as (office, _),
        serving_force(exchange, monkeypatch, "court") as (tribunal, _),
    ):
        auth = hub_staff(hub_id, "officer")
        case_id = await registered_and_dispatched(hub, auth, LAND)

        clerk = staff_headers("justice", agency=justice, roles=["justice_staff"], name="司法所 陈")
        mediation = await first_item(office, "/api/v1/mediations", clerk)
        path = f"/api/v1/mediations/{mediation['id']}"
        accepted = await office.post(f"{path}/acceptance", json={}, headers=clerk)
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["choice"]["committee_id"] == "tw-rural-land"
        mediator_id = accepted.json()["choice"]["mediator_id"]
        mediator = staff_headers(
            "justice", agency=justice, roles=["mediator"], name="调解员", subject=mediator_id
        )
        too_early = await office.post(f"{path}/confirmation", json={}, headers=mediator)
        assert too_early.status_code == 404, too_early.text  # no agreement to confirm yet
        session = {"place": "莲湖村委会", "attendees": ["黄阿明", "伍阿强"], "notes": "现场踏勘"}
        agreement = {
            "facts": "双方承包地相邻, 田埂位置有争议。",
            "terms": TERMS,
            "performance_manner": "双方现场交接, 村委会见证",
            "ask_confirmation": True,
        }
        steps: list[tuple[str, Any]] = [("sessions", session), ("agreement", agreement)]
        for step, body in steps:
            answer = await office.post(f"{path}/{step}", json=body, headers=mediator)
            assert answer.status_code == 200, (step, answer.text)

        judge = staff_headers("court", agency=court, roles=["judge"], name="法官 谭")
        request = await first_item(tribunal, "/api/v1/confirmations", judge)
        assert {p["role"] for p in request["parties"]} == {"applicant", "respondent"}
        unknown = await tribunal.post("/api/v1/confirmations/nope/confirmation", headers=judge)
        assert unknown.status_code == 404, unknown.text
        confirmation = f"/api/v1/confirmations/{request['id']}"
        review = {"note": "协议系双方自愿达成, 内容不违反法律"}
        for step, body in (("acceptance", None), ("reviews", review), ("confirmation", None)):
            answer = await tribunal.post(f"{confirmation}/{step}", json=body, headers=judge)
            assert answer.status_code == 200, (step, answer.text)
        ruling: str = answer.json()["ruling_number"]

        fed_back = await case_when(
            hub, auth, case_id, lambda c: c["status"] == "awaiting_verification"
        )
        closed = await verified_and_closed(hub, auth, case_id, f"调解协议经司法确认 {ruling}")
        docx = await office.get(f"{path}/agreement.docx", headers=mediator)

    assert "民特" in ruling
    [assignment] = fed_back["assignments"]
    assert assignment["agency"] == justice and assignment["status"] == "feedback"
    assert assignment["feedback"]["outcome"] == "resolved"
    assert ruling in assignment["feedback"]["summary"]
    titles = [d["title"] for d in assignment["feedback"]["documents"]]
    assert any(ruling in t for t in titles) and any("协议" in t for t in titles), titles
    assert closed["status"] == "closed"
    timeline: list[Any] = closed["timeline"]
    assert any(ruling in (e.get("reason") or "") for e in timeline), "the ruling is on the timeline"
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
