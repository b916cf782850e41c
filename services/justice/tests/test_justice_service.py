"""The justice office as its staff, the hub and the court see it: a hub order becomes one
mediation, every step answers the hub through the outbox, the agreement is numbered, filed as a
DOCX and sent to the court for confirmation, the court's ruling reaches the hub; bad input gets
a 4xx that changes nothing and sends nothing. Real broker, real store."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import docx
import httpx
import pytest

from fengqiao.contracts import Envelope
from fengqiao.contracts.codes import Action, Category, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseFeedback,
    CaseTransferred,
    Location,
    Party,
)
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from fengqiao.testing.services import running_service
from justice.adapters.documents import DOCX
from justice.domain.numbering import year_of
from justice.main import create_app

HUB, COURT = "hub-test", "court-test"
PLACE = Location(town="440781105", village="440781105201", address="莲湖村", lon=112.87, lat=21.955)
CHEN = Party(name="陈大海", role="applicant", id_number="440781197003051234", phone="13800138000")
HUANG = Party(name="黄阿明", role="respondent", phone="13900139000")


def configure(monkeypatch: pytest.MonkeyPatch, *, kafka: KafkaSettings, mongo: str) -> str:
    agency = f"justice-{uuid.uuid4().hex[:8]}"
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongo,
        "FENGQIAO_JUSTICE_AGENCY_ID": agency,
        "FENGQIAO_JUSTICE_DATABASE": f"test_{agency}",
        "FENGQIAO_JUSTICE_COURT_AGENCY": COURT,
    }
    for purpose in ("TOKEN_KEY", "SIGNING_KEY", "FIELD_KEY"):
        env[f"FENGQIAO_JUSTICE_{purpose}"] = base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    clear_secret_cache()
    return agency


def clerk(agency: str, *roles: str) -> dict[str, str]:
    """司法所工作人员 (or another role of the office)."""
    return staff_headers(
        "justice", agency=agency, roles=roles or ("justice_staff",), name="司法所 李所长"
    )


def mediator(agency: str, mediator_id: str, name: str = "调解员") -> dict[str, str]:
    """A mediator of the pool: their subject is their id in the directory."""
    return staff_headers(
        "justice", agency=agency, roles=("mediator",), name=name, subject=mediator_id
    )


def order(
    case_id: str,
    assignment_id: str,
    *,
    action: Action = Action.MEDIATE,
    accept_within: timedelta = timedelta(days=1),
) -> CaseTransferred:
    now = datetime.now(UTC)
    return CaseTransferred(
        case_id=case_id,
        assignment_id=assignment_id,
        tracking_code="DH20260302-0001",
        category=Category.LAND_RURAL,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        title="莲湖村承包地边界纠纷",
        summary="两户因承包地田埂边界发生争执",
        location=PLACE,
        parties=[CHEN, HUANG],
        accept_by=now + accept_within,
        due_at=now + timedelta(days=21),
    )


async def mediations_when(
    client: httpx.AsyncClient, auth: dict[str, str], count: int, query: str = ""
) -> list[dict[str, Any]]:
    async def enough() -> list[dict[str, Any]] | None:
        answer = await client.get(f"/api/v1/mediations{query}", headers=auth)
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items if len(items) >= count else None

    return await until(enough, f"{count} mediations")


async def mediation_when(
    client: httpx.AsyncClient,
    path: str,
    auth: dict[str, str],
    done: Callable[[dict[str, Any]], bool],
) -> dict[str, Any]:
    async def finished() -> dict[str, Any] | None:
        answer = await client.get(path, headers=auth)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found if done(found) else None

    return await until(finished, f"the mediation at {path} to get there")


def types_to(sent: list[Envelope], recipient: str) -> list[str]:
    return [e.type for e in sent if e.recipient == recipient]


RULING = "（2026）粤0781民特12号 民事裁定书：确认调解协议有效"
WALK_IN = {
    "category": "neighbour",
    "title": "邻里排水纠纷",
    "facts": "两家排水沟堵塞互相指责",
    "location": {"town": "440781105", "village": "440781105202", "lon": 112.93, "lat": 21.93},
    "parties": [{"name": "伍大明", "role": "applicant"}, {"name": "甄小红", "role": "respondent"}],
}


async def test_a_hub_order_is_mediated_confirmed_by_the_court_and_the_ruling_reaches_the_hub(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    justice = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    desk = clerk(justice)
    async with running_service(create_app, kafka, name="justice") as (client, others, _):
        sent = await others.say(HUB, order("C-1", "C-1-a1"), subject="C-1")
        # A redelivery of the same event, and the same order sent again under a new event id.
        await others._producer.publish(f"xchg.in.{justice}", sent)
        await others.say(HUB, order("C-1", "C-1-a1"), subject="C-1")
        [item] = await mediations_when(client, desk, 1)
        assert (item["status"], item["source"], item["field"]) == ("received", "hub", "rural_land")
        assert item["clocks"]["accept_by"] is not None and item["clocks"]["overdue"] is False
        path = f"/api/v1/mediations/{item['id']}"

        accepted = await client.post(f"{path}/acceptance", json={}, headers=desk)
        assert accepted.status_code == 200, accepted.text
        choice = accepted.json()["choice"]
        assert choice["committee_id"] == "tw-rural-land" and choice["manual"] is False
        assert accepted.json()["parties"][0]["name"] != "陈大海"  # masked for the clerk
        own = mediator(justice, choice["mediator_id"], choice["mediator_name"])
        mine = (await client.get(path, headers=own)).json()
        assert mine["parties"][0]["name"] == "陈大海"  # unmasked for the mediator handling it
        pool = (await client.get("/api/v1/mediators", headers=desk)).json()["items"]
        assert {m["id"]: m["load"] for m in pool}[choice["mediator_id"]] == 1
        experts = (await client.get(f"{path}/experts", headers=own)).json()["items"]
        assert [e["id"] for e in experts] == ["e03", "e02"]  # rural land, nearest first

        session = {"place": "莲湖村委会", "attendees": ["陈大海", "黄阿明"], "notes": "同意立界"}
        held = await client.post(f"{path}/sessions", json=session, headers=own)
        assert held.status_code == 200, held.text
        agreement = {
            "facts": "黄阿明扩种越界约30厘米",
            "terms": ["以2015年确权图为准重新立界", "黄阿明于3月31日前恢复田埂原状"],
            "performance_manner": "双方现场交接，村委会见证",
            "ask_confirmation": True,
        }
        agreed = await client.post(f"{path}/agreement", json=agreement, headers=own)
        assert agreed.status_code == 200, agreed.text
        recorded = agreed.json()
        assert recorded["status"] == "confirmation_requested"
        number = recorded["agreement"]["number"]
        assert re.fullmatch(r"都斛调〔\d{4}〕1号", number)
        ref = recorded["agreement"]["document"]
        assert ref["uri"] == f"justice://mediations/{item['id']}/agreement.docx"

        [to_court] = await others.received(lambda e: e.recipient == COURT)
        download = await client.get(f"{path}/agreement.docx", headers=own)

        court_order = to_court.data
        confirm_id = f"{item['id']}-confirm"
        await others.say(
            COURT,
            CaseAccepted(
                case_id=item["id"],
                assignment_id=confirm_id,
                accepted_at=to_court.time,
                handler="都斛人民法庭 审判员 周",
            ),
            subject=item["id"],
        )
        ruling = CaseFeedback(
            case_id=item["id"],
            assignment_id=confirm_id,
            at=to_court.time + timedelta(minutes=1),
            outcome=Outcome.RESOLVED,
            summary=RULING,
        )
        await others.say(COURT, ruling, subject=item["id"])
        [feedback] = await others.received(lambda e: e.type == "case.feedback.v1")
        closed = CaseClosed(
            case_id="C-1", closed_at=feedback.time, outcome=Outcome.RESOLVED, summary="司法确认结案"
        )
        await others.say(HUB, closed, subject="C-1")
        final = await mediation_when(client, path, desk, lambda m: m["hub_closed_at"] is not None)
        pool = (await client.get("/api/v1/mediators", headers=desk)).json()["items"]

    assert types_to(others.sent, HUB) == [
        "case.accepted.v1",
        "case.progressed.v1",  # committee and mediator assigned
        "case.progressed.v1",  # the session
        "case.progressed.v1",  # agreement reached, confirmation asked
        "case.feedback.v1",  # the court's ruling
    ]
    assert all(e.subject == "C-1" for e in others.sent if e.recipient == HUB)
    assert to_court.type == "case.transferred.v1" and to_court.subject == item["id"]
    assert court_order["action"] == Action.CONFIRM.value
    assert court_order["assignment_id"] == confirm_id
    assert [p["name"] for p in court_order["parties"]] == ["陈大海", "黄阿明"]
    assert court_order["parties"][0]["id_number"] == "440781197003051234"
    for text in (number, "1. 以2015年确权图为准重新立界", "2. 黄阿明于3月31日前恢复田埂原状"):
        assert text in court_order["summary"]
    assert ref["uri"] in court_order["summary"]

    assert feedback.data["outcome"] == "resolved" and "民特12号" in feedback.data["summary"]
    assert feedback.data["assignment_id"] == "C-1-a1"
    assert [d["uri"] for d in feedback.data["documents"]] == [ref["uri"]]
    assert final["status"] == "confirmed"
    assert final["confirmation"]["ruling"] == RULING
    assert final["confirmation"]["handler"] == "都斛人民法庭 审判员 周"
    assert final["history"][-1]["note"] == "结案(已化解): 司法确认结案"
    assert {m["id"]: m["load"] for m in pool}[choice["mediator_id"]] == 0

    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == DOCX
    assert hashlib.sha256(download.content).hexdigest() == ref["sha256"]
    lines = [p.text for p in docx.Document(io.BytesIO(download.content)).paragraphs]
    body = "\n".join(lines)
    assert f"编号：{number}" in lines
    assert "申请人：陈大海，身份证号码：4407**********1234" in lines
    assert "被申请人：黄阿明" in lines
    assert "1. 以2015年确权图为准重新立界" in lines and "2. 黄阿明于3月31日前恢复田埂原状" in lines
    assert f"人民调解员（签名）：{choice['mediator_name']}" in body
    assert str(year_of(to_court.time)) in number


async def test_bad_input_changes_nothing_and_sends_nothing(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    justice = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    desk = clerk(justice)
    async with running_service(create_app, kafka, name="justice") as (client, others, _):
        created = [
            (await client.post("/api/v1/mediations", json=WALK_IN, headers=desk)).json()
            for _ in range(2)
        ]
        first, second = (f"/api/v1/mediations/{c['id']}" for c in created)
        before = (await client.get(first, headers=desk)).json()
        refusals = {
            "confirmation without agreement": await client.post(
                f"{first}/confirmation", headers=desk
            ),
            "document without agreement": await client.get(f"{first}/agreement.docx", headers=desk),
            "agreement before acceptance": await client.post(
                f"{first}/agreement", json={"facts": "无", "terms": ["无"]}, headers=desk
            ),
            "unknown mediation": await client.get("/api/v1/mediations/nope", headers=desk),
            "unknown mediator named": await client.post(
                f"{first}/acceptance", json={"mediator_id": "m99", "reason": "熟悉"}, headers=desk
            ),
            "inactive mediator named": await client.post(
                f"{first}/acceptance", json={"mediator_id": "m10", "reason": "熟悉"}, headers=desk
            ),
            "named without a reason": await client.post(
                f"{first}/acceptance", json={"mediator_id": "m02"}, headers=desk
            ),
            "unknown field in body": await client.post(
                f"{first}/acceptance", json={"urgent": True}, headers=desk
            ),
            "walk-in returned to no hub": await client.post(
                f"{first}/return", json={"reason_code": "x", "reason": "y"}, headers=desk
            ),
            "bad cursor": await client.get("/api/v1/mediations?cursor=zzzz", headers=desk),
            "no token": await client.get("/api/v1/mediations"),
            "mediator cannot accept": await client.post(
                f"{first}/acceptance", json={}, headers=mediator(justice, "m02")
            ),
        }
        after = (await client.get(first, headers=desk)).json()
        accepted = await client.post(f"{second}/acceptance", json={}, headers=desk)
        twice = await client.post(f"{second}/acceptance", json={}, headers=desk)
        stranger = await client.post(
            f"{second}/failure", json={"reason": "一方拒绝"}, headers=mediator(justice, "m07")
        )
        future = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        early = await client.post(
            f"{second}/sessions",
            json={"at": future, "place": "村委会", "attendees": ["伍大明"]},
            headers=desk,
        )
        naive = await client.post(
            f"{second}/sessions",
            json={"at": "2026-03-02T09:00:00", "place": "村委会", "attendees": ["伍大明"]},
            headers=desk,
        )
        committees = (await client.get("/api/v1/committees", headers=desk)).json()["items"]
    assert {k: r.status_code for k, r in refusals.items()} == {
        "confirmation without agreement": 404,
        "document without agreement": 404,
        "agreement before acceptance": 409,
        "unknown mediation": 404,
        "unknown mediator named": 404,
        "inactive mediator named": 409,
        "named without a reason": 422,
        "unknown field in body": 422,
        "walk-in returned to no hub": 409,
        "bad cursor": 422,
        "no token": 401,
        "mediator cannot accept": 403,
    }
    assert "nothing to confirm" in refusals["confirmation without agreement"].json()["detail"]
    assert all(r.headers["content-type"] == "application/problem+json" for r in refusals.values())
    assert after == before
    assert accepted.status_code == 200 and twice.status_code == 409
    assert stranger.status_code == 403
    assert (early.status_code, naive.status_code) == (422, 422)
    assert len(committees) == 12
    assert others.sent == []  # walk-ins tell the hub nothing, refusals tell nobody anything


async def test_an_order_not_for_mediation_is_returned_once_and_lists_page_by_cursor(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    justice = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    desk = clerk(justice)
    async with running_service(create_app, kafka, name="justice") as (client, others, _):
        wrong = order("C-9", "C-9-a1", action=Action.INVESTIGATE)
        await others.say(HUB, wrong, subject="C-9")
        await others.say(HUB, wrong, subject="C-9")
        late = order("C-8", "C-8-a1", accept_within=-timedelta(hours=1))
        # Same key as the refused order, so it is consumed after both of its deliveries.
        await others.say(HUB, late, subject="C-9")
        [returned] = await others.received(lambda e: e.type == "case.returned.v1")
        [hub_item] = await mediations_when(client, desk, 1)
        for _ in range(3):
            answer = await client.post("/api/v1/mediations", json=WALK_IN, headers=desk)
            assert answer.status_code == 201, answer.text
        first = (await client.get("/api/v1/mediations?limit=3", headers=desk)).json()
        rest = (
            await client.get(
                f"/api/v1/mediations?limit=3&cursor={first['next_cursor']}", headers=desk
            )
        ).json()
        overdue = (await client.get("/api/v1/mediations?overdue=true", headers=desk)).json()
        walk_ins = (await client.get("/api/v1/mediations?source=walk_in", headers=desk)).json()
        on_time = (await client.get("/api/v1/mediations?overdue=false", headers=desk)).json()
        refused = await client.post(
            f"/api/v1/mediations/{hub_item['id']}/return",
            json={"reason_code": "not_civil", "reason": "属刑事案件"},
            headers=desk,
        )
        [_, back] = await others.received(lambda e: e.type == "case.returned.v1", count=2)
    assert returned.recipient == HUB and returned.subject == "C-9"
    assert returned.data["reason_code"] == "unsupported_action"
    assert returned.data["assignment_id"] == "C-9-a1"
    assert len([e for e in others.sent if e.data.get("assignment_id") == "C-9-a1"]) == 1
    assert hub_item["tracking_code"] == "DH20260302-0001" and hub_item["clocks"]["overdue"]
    assert [i["id"] for i in overdue["items"]] == [hub_item["id"]]
    assert len(walk_ins["items"]) == 3 and walk_ins["next_cursor"] is None
    assert {i["id"] for i in on_time["items"]} == {i["id"] for i in walk_ins["items"]}
    assert len(first["items"]) == 3 and first["next_cursor"] is not None
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert len(set(ids)) == 4 and ids[-1] == hub_item["id"]  # newest first
    assert refused.status_code == 200 and refused.json()["status"] == "returned"
    assert back.data["assignment_id"] == "C-8-a1" and back.data["reason_code"] == "not_civil"


APPLICANT = {"name": "伍阿四", "role": "applicant", "id_number": "440781198001011234"}
AID = {
    "applicant": APPLICANT,
    "matter": "追讨被拖欠的工资",
    "category": "labour_wage",
    "income_per_person": "1800",
    "household_size": 3,
}
VILLAGE = "440781105201"


async def test_legal_aid_runs_its_course_and_each_village_keeps_one_adviser(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    justice = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    desk, officer = clerk(justice), clerk(justice, "legal_aid_officer")
    async with running_service(create_app, kafka, name="justice") as (client, others, _):
        poor = (await client.post("/api/v1/legal-aid", json=AID, headers=officer)).json()
        rich = await client.post(
            "/api/v1/legal-aid", json={**AID, "income_per_person": "9000"}, headers=desk
        )
        aid = f"/api/v1/legal-aid/{poor['id']}"
        approved = await client.post(f"{aid}/review", json={}, headers=officer)
        unknown_lawyer = await client.post(f"{aid}/lawyer", json={"lawyer_id": "l99"}, headers=desk)
        assigned = await client.post(f"{aid}/lawyer", json={}, headers=officer)
        lawyers = (await client.get("/api/v1/lawyers", headers=desk)).json()["items"]
        closed = await client.post(f"{aid}/closure", json={"result": "讨回工资"}, headers=officer)
        other_aid = f"/api/v1/legal-aid/{rich.json()['id']}"
        denied = await client.post(f"{other_aid}/review", json={}, headers=desk)
        too_late = await client.post(f"{other_aid}/lawyer", json={}, headers=desk)
        as_clerk = (await client.get(aid, headers=desk)).json()
        denied_list = (await client.get("/api/v1/legal-aid?status=denied", headers=desk)).json()

        async def advisers_seeded() -> bool:
            return len((await client.get("/api/v1/advisers", headers=desk)).json()["items"]) >= 9

        await until(advisers_seeded, "the directory's advisers to be seeded")
        seeded = (await client.get(f"/api/v1/advisers/{VILLAGE}", headers=desk)).json()
        other = {"village_name": "莲湖村", "name": "司徒明", "firm": "广东海宴律师事务所"}
        refused = await client.put(f"/api/v1/advisers/{VILLAGE}", json=other, headers=desk)
        unchanged = (await client.get(f"/api/v1/advisers/{VILLAGE}", headers=desk)).json()
        replaced = await client.put(
            f"/api/v1/advisers/{VILLAGE}", json={**other, "replace": True}, headers=desk
        )
        new_village = await client.put("/api/v1/advisers/440781105299", json=other, headers=desk)
        bad_code = await client.put("/api/v1/advisers/4407", json=other, headers=desk)
        nobody = await client.get("/api/v1/advisers/440781105298", headers=desk)
    assert poor["status"] == "submitted" and poor["applicant"]["name"] == "伍阿四"
    assert rich.status_code == 201 and rich.json()["applicant"]["name"] != "伍阿四"
    assert approved.json()["status"] == "approved" and approved.json()["eligibility"]["eligible"]
    assert unknown_lawyer.status_code == 404
    assert assigned.json()["lawyer_id"] == "l01"  # the labour lawyer
    assert {lw["id"]: lw["load"] for lw in lawyers}["l01"] == 1
    assert closed.json()["status"] == "closed" and closed.json()["result"] == "讨回工资"
    assert denied.json()["status"] == "denied" and "超过" in denied.json()["denial_reason"]
    assert too_late.status_code == 409
    assert as_clerk["applicant"]["id_number"] != APPLICANT["id_number"]
    assert [a["id"] for a in denied_list["items"]] == [rich.json()["id"]]
    assert seeded["adviser"]["name"] == "赵志刚"
    assert refused.status_code == 409 and unchanged == seeded
    assert replaced.status_code == 200 and replaced.json()["adviser"]["name"] == "司徒明"
    assert [h["note"] for h in replaced.json()["history"]][-1].startswith("换聘：赵志刚 → 司徒明")
    assert new_village.status_code == 201
    assert (bad_code.status_code, nobody.status_code) == (422, 404)
    assert others.sent == []
