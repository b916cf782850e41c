"""The legal hand-offs through the real gateway, each service as its own agency with its own key
and store: a civil debt goes hub → court pre-litigation mediation → failure → filing, and the hub
gets the case number; an environment complaint goes hub → procuratorate → a suggestion to a
department, which pulls it and replies over the gateway's HTTP edge → the hub closes.
(The justice → court confirmation loop is in test_mediation_confirmation.py.)"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from crosskit import (
    DUHU,
    case_when,
    first_item,
    registered_and_dispatched,
    routing,
    verified_and_closed,
)
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import CaseFeedback
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from gateway.adapters.credentials import client_secret
from gateway.domain.registry import Delivery
from gatewaykit import Exchange, running_gateway, serving_force, serving_hub
from hubkit import staff as hub_staff

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_civil_debt_fails_mediation_is_filed_and_the_hub_gets_the_case_number(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    court = exchange.id("court")
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    rules = routing("civil_debt", court, "pre_litigation_mediation")
    async with (
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri, rules) as hub,
        running_gateway(),
        serving_force(exchange, monkeypatch, "court") as (tribunal, _),
    ):
        auth = hub_staff(exchange.id("intake"), "officer")
        debt = {
            "channel": "walk_in",
            "category": "civil_debt",
            "title": "民间借贷纠纷: 借款三万元未还",
            "description": "黄某借李某三万元, 约定一年归还, 逾期未还。",
            "location": {**DUHU, "address": "都斛墟"},
            "parties": [
                {"name": "李四", "role": "applicant"},
                {"name": "黄五", "role": "respondent"},
            ],
        }
        case_id = await registered_and_dispatched(hub, auth, debt)
        clerk = staff_headers("court", agency=court, roles=["court_clerk"], name="立案庭 陈")
        judge = staff_headers("court", agency=court, roles=["judge"], name="法官 谭")
        mediation = await first_item(tribunal, "/api/v1/mediations", clerk)
        path = f"/api/v1/mediations/{mediation['id']}"
        early = await tribunal.post(f"{path}/filing", json={}, headers=clerk)
        assert early.status_code == 409, early.text  # filing only after mediation fails
        for step, body, who in (
            ("acceptance", {}, clerk),
            ("sessions", {"note": "组织双方调解, 被告承认借款"}, judge),
            ("failure", {"reason": "被告无力一次还清, 原告不同意分期"}, judge),
            ("filing", {}, clerk),
        ):
            answer = await tribunal.post(f"{path}/{step}", json=body, headers=who)
            assert answer.status_code == 200, (step, answer.text)
        number = answer.json()["case_number"]
        case = await case_when(hub, auth, case_id, lambda c: c["status"] == "awaiting_verification")

    [assignment] = case["assignments"]
    assert assignment["agency"] == court and assignment["status"] == "feedback"
    assert assignment["feedback"]["outcome"] == Outcome.REFERRED.value
    assert number in assignment["feedback"]["summary"] and "民初" in number
    assert any(number in d["title"] for d in assignment["feedback"]["documents"])
    notes = [p["note"] for p in assignment["progress"]]
    assert any("调解不成" in n for n in notes), notes


async def test_an_environment_complaint_gets_a_suggestion_a_reply_over_http_and_closes(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    procuratorate, department = exchange.id("procuratorate"), exchange.id("dept-environment")
    # The department has no Kafka: it pulls its orders and posts its replies over HTTP.
    exchange.agencies = [
        a.model_copy(update={"delivery": Delivery.PULL}) if a.id == department else a
        for a in exchange.agencies
    ]
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    rules = routing("environment", procuratorate, "supervise")
    hub_id = exchange.id("intake")
    async with (
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri, rules) as hub,
        running_gateway() as (gateway, _),
        serving_force(exchange, monkeypatch, "procuratorate", hub_agency=hub_id) as (office, _),
    ):
        auth = hub_staff(hub_id, "officer")
        complaint = {
            "channel": "hotline_12345",
            "category": "environment",
            "title": "养殖场废水直排入海",
            "description": "村民反映海堤旁养殖场废水未经处理直排。",
            "location": {**DUHU, "address": "都斛镇海堤"},
        }
        case_id = await registered_and_dispatched(hub, auth, complaint)
        prosecutor = staff_headers(
            "procuratorate", agency=procuratorate, roles=["prosecutor"], name="检察官 李明"
        )
        supervision = await first_item(office, "/api/v1/supervision-cases", prosecutor)
        path = f"/api/v1/supervision-cases/{supervision['id']}"
        suggestion = {
            "department": department,
            "subject": "督促整治养殖废水直排",
            "content": "建议依法查处养殖场废水直排行为, 限期整改。",
            "legal_basis": "《人民检察院检察建议工作规定》第十一条",
        }
        for step, body in (
            ("acceptance", {}),
            ("investigation", {"note": "现场勘查, 取水样送检"}),
            ("suggestion", suggestion),
        ):
            answer = await office.post(f"{path}/{step}", json=body, headers=prosecutor)
            assert answer.status_code in (200, 201), (step, answer.text)

        bearer = await department_token(gateway, department)
        order = await pulled_order(gateway, bearer)
        assert order["data"]["action"] == "reply" and order["source"].endswith(procuratorate)
        reply = CaseFeedback(
            case_id=order["data"]["case_id"],
            assignment_id=order["data"]["assignment_id"],
            at=datetime.now(UTC),
            outcome=Outcome.RESOLVED,
            summary="已对养殖场立案查处, 责令停止排放, 完成整改",
        )
        signed = exchange.envelope(
            department, reply, recipient=procuratorate, subject=reply.case_id
        )
        posted = await gateway.post(
            "/api/v1/events",
            content=json.dumps(signed.model_dump(mode="json", exclude_none=True)),
            headers={**bearer, "Content-Type": "application/cloudevents+json"},
        )
        assert posted.status_code == 202, posted.text

        async def replied() -> Any:
            case = (await office.get(path, headers=prosecutor)).json()
            return case if case["status"] == "replied" else None

        await until(replied, "the department's reply at the procuratorate", timeout_s=90)
        closed = await office.post(
            f"{path}/closure", json={"summary": "部门已整改到位, 监督结案"}, headers=prosecutor
        )
        assert closed.status_code == 200, closed.text
        await case_when(hub, auth, case_id, lambda c: c["status"] == "awaiting_verification")
        case = await verified_and_closed(hub, auth, case_id, "检察监督, 部门整改到位")

        async def told_of_closure() -> Any:
            notes = [
                e.get("note") or ""
                for e in (await office.get(path, headers=prosecutor)).json()["history"]
            ]
            return notes if any(n.startswith("结案") for n in notes) else None

        await until(
            told_of_closure, "the hub's closure on the supervision case's record", timeout_s=90
        )

    assert case["status"] == "closed"
    [assignment] = case["assignments"]
    assert assignment["agency"] == procuratorate
    assert assignment["feedback"]["outcome"] == Outcome.RESOLVED.value
    assert any("部门回复" in p["note"] for p in assignment["progress"])


async def department_token(gateway: httpx.AsyncClient, department: str) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": department,
        "client_secret": client_secret(department, 1),  # the seeded generation
    }
    answer = await gateway.post("/oauth/token", data=form)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def pulled_order(gateway: httpx.AsyncClient, bearer: dict[str, str]) -> Any:
    async def pulled() -> Any:
        answer = await gateway.get("/api/v1/events", headers=bearer)
        assert answer.status_code == 200, answer.text
        orders = [e for e in answer.json()["events"] if e["type"] == "case.transferred.v1"]
        return orders[0] if orders else None

    return await until(pulled, "the suggestion in the department's pull", timeout_s=90)
