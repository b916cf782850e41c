"""The court as its staff, the hub, the justice office and departments see it: each order becomes
one matter, every step answers its sender through the outbox in order, an order the court cannot
take goes back, case numbers come from the court's counters, and bad input gets a 4xx that
changes nothing. Real broker, real store."""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from court.bootstrap import court_of
from court.main import create_app
from fengqiao.calendar import SHANGHAI
from fengqiao.contracts import Envelope, topics
from fengqiao.contracts.codes import Action, Category, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseFeedback,
    CaseTransferred,
    Location,
    Party,
)
from fengqiao.contracts.orders import order_id
from fengqiao.messaging.dlq import read_dead_letters
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.testing import quiet_for, staff_headers, until
from fengqiao.testing.services import running_service

HUB, JUSTICE = "hub-test", "justice-test"
PARTIES = [
    Party(name="陈大文", phone="13812345678", id_number="440781199001011234"),
    Party(name="黄小明", role="respondent", phone="13987654321"),
]


def configure(monkeypatch: pytest.MonkeyPatch, *, kafka: KafkaSettings, mongo: str) -> str:
    agency = f"court-{uuid.uuid4().hex[:8]}"
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongo,
        "FENGQIAO_COURT_AGENCY_ID": agency,
        "FENGQIAO_COURT_DATABASE": f"test_{agency}",
        "FENGQIAO_COURT_OVERDUE_INTERVAL_S": "0.3",
    }
    for purpose in ("TOKEN_KEY", "SIGNING_KEY", "FIELD_KEY"):
        env[f"FENGQIAO_COURT_{purpose}"] = base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    clear_secret_cache()
    return agency


def staff(agency: str, role: str, *, name: str, subject: str | None = None) -> dict[str, str]:
    return staff_headers("court", agency=agency, roles=(role,), name=name, subject=subject)


def order(case_id: str, assignment_id: str, action: Action) -> CaseTransferred:
    now = datetime.now(UTC)
    return CaseTransferred(
        case_id=case_id,
        assignment_id=assignment_id,
        tracking_code="DH2026-0042",
        category=Category.CIVIL_DEBT,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        title="民间借贷纠纷",
        summary="陈大文借款3万元给黄小明, 逾期未还; 双方对借款事实无争议",
        location=Location(town="440781105", address="都斛镇墟镇"),
        parties=PARTIES,
        accept_by=now + timedelta(days=1),
        due_at=now + timedelta(days=35),
    )


def to(sent: list[Envelope], recipient: str) -> list[Envelope]:
    return [e for e in sent if e.recipient == recipient]


async def dead_letter(kafka: KafkaSettings, agency: str, event_id: str) -> Any:
    async def probe() -> Any:
        letters = await read_dead_letters(kafka)
        found = [
            d
            for d in letters
            if d.topic == topics.inbound(agency)
            and dict(d.headers).get("ce_id") == event_id.encode()
        ]
        return found[0] if found else None

    return await until(probe, "dead letter")


async def test_a_hub_order_is_mediated_fails_and_is_filed_with_its_number(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    court = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    clerk = staff(court, "court_clerk", name="书记员 周")
    mediator = staff(court, "court_mediator", name="陈敏", subject="mediator-chen")
    async with running_service(create_app, kafka, name="court") as (client, others, runtime):
        tribunal = court_of(runtime)
        mediation_id = order_id(HUB, "case-42-court")
        sent = await others.say(
            HUB,
            order("case-42", "case-42-court", Action.PRE_LITIGATION_MEDIATION),
            subject="case-42",
        )
        # A redelivery of the same event, and the same order sent again under a new event id.
        await others._producer.publish(topics.inbound(court), sent)
        await others.say(
            HUB,
            order("case-42", "case-42-court", Action.PRE_LITIGATION_MEDIATION),
            subject="case-42",
        )

        async def both_applied() -> int | None:
            found = await tribunal.stores.mediations.find(mediation_id)
            return len(found.inbox) if found is not None and len(found.inbox) == 2 else None

        await until(both_applied, "second order applied")
        listed = (await client.get("/api/v1/mediations", headers=clerk)).json()
        path = f"/api/v1/mediations/{mediation_id}"

        accepted = await client.post(f"{path}/acceptance", json={}, headers=clerk)
        roster = {m["id"]: m for m in (await client.get("/api/v1/mediators", headers=clerk)).json()}
        too_early = await client.post(f"{path}/filing", json={}, headers=clerk)
        confirm_as_mediator = await client.post(
            f"{path}/agreement", json={"terms": "还款", "confirmed": True}, headers=mediator
        )
        before = (await client.get(path, headers=mediator)).json()
        session = await client.post(f"{path}/sessions", json={"note": "双方到庭"}, headers=mediator)
        failed = await client.post(
            f"{path}/failure", json={"reason": "被申请人拒绝调解"}, headers=mediator
        )
        tomorrow = (datetime.now(SHANGHAI) + timedelta(days=1)).date().isoformat()
        future = await client.post(f"{path}/filing", json={"filed_on": tomorrow}, headers=clerk)
        filed = await client.post(f"{path}/filing", json={}, headers=clerk)
        again = await client.post(f"{path}/filing", json={}, headers=clerk)
        after = {m["id"]: m for m in (await client.get("/api/v1/mediators", headers=clerk)).json()}
        as_clerk = (await client.get(path, headers=clerk)).json()
        raw = await runtime.db["mediations"].find_one({"_id": mediation_id})
        await others.received(lambda e: e.type == "case.feedback.v1")
        closure = CaseClosed(
            case_id="case-42",
            closed_at=datetime.now(UTC),
            outcome=Outcome.REFERRED,
            summary="已立案, 转入诉讼",
        )
        await others.say(HUB, closure, subject="case-42")

        async def closed_noted() -> dict[str, Any] | None:
            got = (await client.get(path, headers=clerk)).json()
            return got if "转入诉讼" in (got["history"][-1]["note"] or "") else None

        noted = await until(closed_noted, "the hub's closure on the record")

    year = datetime.now(SHANGHAI).year
    assert [m["id"] for m in listed["items"]] == [mediation_id] and listed["next_cursor"] is None
    assert listed["items"][0]["status"] == "received"
    assert listed["items"][0]["parties"][0]["name"] != "陈大文", "masked to the clerk"
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["number"] == f"({year})粤0781诉前调1号"
    assert accepted.json()["mediator_id"] == "mediator-chen"  # least loaded, then smallest id
    assert roster["mediator-chen"]["open_cases"] == 1
    assert (too_early.status_code, confirm_as_mediator.status_code) == (409, 403)
    assert before["status"] == "accepted" and before["parties"][0]["name"] == "陈大文"
    assert session.status_code == 200 and failed.status_code == 200, failed.text
    assert future.status_code == 422, future.text
    assert filed.status_code == 200, filed.text
    number = f"({year})粤0781民初1号"  # the refused filing took no number
    assert filed.json()["case_number"] == number and filed.json()["status"] == "filed"
    assert again.status_code == 409
    assert after["mediator-chen"]["open_cases"] == 0, "a failed mediation frees its mediator"
    assert as_clerk["parties"][0]["phone"] != "13812345678"
    assert noted["status"] == "filed" and noted["history"][-1]["actor"] == HUB
    assert raw is not None and "13812345678" not in str(raw), "parties sealed at rest"

    hub = to(others.sent, HUB)
    assert [e.type for e in hub] == [
        "case.accepted.v1",
        "case.progressed.v1",  # accepted, numbered, mediator named
        "case.progressed.v1",  # the session
        "case.progressed.v1",  # the failure
        "case.feedback.v1",
    ]
    assert all(e.subject == "case-42" and e.data["assignment_id"] == "case-42-court" for e in hub)
    feedback = hub[-1].data
    assert feedback["outcome"] == "referred" and number in feedback["summary"]
    assert number in feedback["documents"][0]["title"]
    assert "被申请人拒绝调解" in hub[3].data["note"]


async def test_a_confirmation_is_ruled_and_an_unsupported_order_goes_back(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    court = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    judge = staff(court, "judge", name="法官 李", subject="judge-li")
    clerk = staff(court, "court_clerk", name="书记员 周")
    async with running_service(create_app, kafka, name="court") as (client, others, runtime):
        tribunal = court_of(runtime)
        request = order("med-7", "med-7-confirm", Action.CONFIRM)
        await others.say(JUSTICE, request, subject="med-7")
        await others.say(JUSTICE, request, subject="med-7")
        hearing = order("case-9", "case-9-hear", Action.HEAR)
        await others.say(HUB, hearing, subject="case-9")
        await others.say(HUB, hearing, subject="case-9")
        confirmation_id = order_id(JUSTICE, "med-7-confirm")

        async def both_applied() -> int | None:
            found = await tribunal.stores.confirmations.find(confirmation_id)
            return 2 if found is not None and len(found.inbox) == 2 else None

        await until(both_applied, "second confirmation order applied")
        path = f"/api/v1/confirmations/{confirmation_id}"
        unknown = await client.post("/api/v1/confirmations/nope/confirmation", headers=judge)
        early = await client.post(f"{path}/confirmation", headers=judge)
        clerk_cannot = await client.post(f"{path}/acceptance", headers=clerk)
        accepted = await client.post(f"{path}/acceptance", headers=judge)
        reviewed = await client.post(f"{path}/reviews", json={"note": "询问双方"}, headers=judge)
        blank = await client.post(f"{path}/reviews", json={"note": "  "}, headers=judge)
        confirmed = await client.post(f"{path}/confirmation", headers=judge)
        listed = (await client.get("/api/v1/confirmations", headers=clerk)).json()
        await others.received(lambda e: e.type == "case.feedback.v1")
        await others.received(lambda e: e.type == "case.returned.v1")
        # a second return, if it were sent, would show by now
        await quiet_for(lambda: len(others.sent), "what the court sends", quiet_s=1)

    year = datetime.now(SHANGHAI).year
    ruling = f"({year})粤0781民特1号"
    assert (unknown.status_code, early.status_code, clerk_cannot.status_code) == (404, 409, 403)
    assert unknown.headers["content-type"] == "application/problem+json"
    assert accepted.status_code == 200 and accepted.json()["parties"][0]["name"] == "陈大文"
    assert reviewed.status_code == 200 and blank.status_code == 422
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["ruling_number"] == ruling
    assert [c["status"] for c in listed["items"]] == ["confirmed"]
    assert listed["items"][0]["parties"][0]["name"] != "陈大文", "masked to the clerk"

    justice = to(others.sent, JUSTICE)
    assert [e.type for e in justice] == [
        "case.accepted.v1",
        "case.progressed.v1",
        "case.feedback.v1",
    ]
    assert all(e.subject == "med-7" for e in justice)
    assert justice[-1].data["outcome"] == "resolved" and ruling in justice[-1].data["summary"]
    assert ruling in justice[-1].data["documents"][0]["title"]
    [returned] = to(others.sent, HUB)
    assert returned.type == "case.returned.v1" and returned.subject == "case-9"
    assert returned.data["reason_code"] == "court.unsupported_action"
    assert returned.data["assignment_id"] == "case-9-hear"


async def test_judicial_suggestions_are_tracked_to_the_reply(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    court = configure(monkeypatch, kafka=kafka, mongo=mongodb_uri)
    judge = staff(court, "judge", name="庭长 陈")
    dept = f"dept-{uuid.uuid4().hex[:6]}"
    body = {
        "department": dept,
        "subject": "规范土地承包合同",
        "content": "近一年涉农土地承包纠纷增多, 建议规范承包合同文本",
        "category": "land_rural",
    }
    async with running_service(create_app, kafka, name="court") as (client, others, runtime):
        issued = [
            (await client.post("/api/v1/suggestions", json=body, headers=judge)).json()
            for _ in range(3)
        ]
        replied_id, withdrawn_id, open_id = (s["id"] for s in issued)
        await others.received(lambda e: e.type == "case.transferred.v1", count=3)
        now = datetime.now(UTC)
        await others.say(
            dept,
            CaseAccepted(
                case_id=replied_id,
                assignment_id=f"{replied_id}-reply",
                accepted_at=now,
                handler="法规股",
            ),
            subject=replied_id,
        )
        reply = CaseFeedback(
            case_id=replied_id,
            assignment_id=f"{replied_id}-reply",
            at=now,
            outcome=Outcome.RESOLVED,
            summary="已修订合同示范文本",
        )
        await others.say(dept, reply, subject=replied_id)

        async def replied() -> dict[str, Any] | None:
            got = (await client.get(f"/api/v1/suggestions/{replied_id}", headers=judge)).json()
            return got if got["status"] == "replied" else None

        answered = await until(replied, "reply")
        withdrawal = await client.post(
            f"/api/v1/suggestions/{withdrawn_id}/withdrawal",
            json={"reason": "问题已整改"},
            headers=judge,
        )
        before = (await client.get(f"/api/v1/suggestions/{withdrawn_id}", headers=judge)).json()
        late = reply.model_copy(
            update={"case_id": withdrawn_id, "assignment_id": f"{withdrawn_id}-reply"}
        )
        ghost = await others.say(dept, late, subject=withdrawn_id)
        letter = await dead_letter(kafka, court, ghost.id)
        after = (await client.get(f"/api/v1/suggestions/{withdrawn_id}", headers=judge)).json()

        first = (await client.get("/api/v1/suggestions?limit=2", headers=judge)).json()
        cursor = first["next_cursor"]
        second = (
            await client.get(
                "/api/v1/suggestions", params={"limit": 2, "cursor": cursor}, headers=judge
            )
        ).json()
        bad_cursor = await client.get("/api/v1/suggestions?cursor=xyz", headers=judge)
        extra_field = await client.post(
            "/api/v1/suggestions", json={**body, "urgent": True}, headers=judge
        )
        # Two months on, the one still open is flagged and its department urged.
        court_of(runtime).clock = lambda: datetime.now(UTC) + timedelta(days=61)
        await others.received(lambda e: e.type == "case.supervised.v1")
        overdue = (await client.get("/api/v1/suggestions?overdue=true", headers=judge)).json()

    assert answered["reply"]["summary"] == "已修订合同示范文本"
    assert answered["handler"] == "法规股"
    assert withdrawal.status_code == 200 and before["status"] == "withdrawn"
    assert letter.reason == "rejected_by_handler" and "withdrawn" in letter.detail
    assert after == before
    assert len(first["items"]) == 2 and cursor is not None
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert {s["id"] for s in first["items"] + second["items"]} == {s["id"] for s in issued}
    assert (bad_cursor.status_code, extra_field.status_code) == (422, 422)
    assert [s["id"] for s in overdue["items"]] == [open_id]
    assert overdue["items"][0]["overdue_flagged_at"] is not None

    to_dept = to(others.sent, dept)
    orders = [e for e in to_dept if e.type == "case.transferred.v1"]
    # Each suggestion's events keep their order; different suggestions may interleave.
    assert sorted(str(e.subject) for e in orders) == sorted([replied_id, withdrawn_id, open_id])
    assert all(e.data["action"] == "reply" for e in orders)
    assert all(e.data["assignment_id"] == f"{e.subject}-reply" for e in orders)
    withdrawn_events = [e.type for e in to_dept if e.subject == withdrawn_id]
    assert withdrawn_events == ["case.transferred.v1", "case.closed.v1"]
    [closed] = [e for e in to_dept if e.type == "case.closed.v1"]
    assert closed.subject == withdrawn_id
    [urged] = [e for e in to_dept if e.type == "case.supervised.v1"]
    assert urged.subject == open_id and urged.data["card"] == "red"
