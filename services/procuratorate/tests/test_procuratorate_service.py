"""The procuratorate as its staff, the hub and a department see it, on the real broker and
store (the hub and the department are the test kit's ``Counterparts``, speaking only events):

- a hub referral becomes one supervision case however often it comes, every step answers the
  hub through the outbox, the suggestion goes to the department and its reply comes back onto
  the suggestion and the case once; a referral outside the procuratorate's business is returned;
- bad input is a clear 4xx (on the broker, a DLQ record) that changes nothing;
- a due reminder is sent once however many passes run; dispute reports reach the hub once per
  external_ref; lists page by cursor and filter.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from fengqiao.contracts import Envelope, topics
from fengqiao.contracts.codes import Action, Card, Category, Outcome, Severity
from fengqiao.contracts.events import CaseAccepted, CaseFeedback, CaseTransferred, Location, Party
from fengqiao.messaging import EventProducer
from fengqiao.messaging.dlq import DeadLetter, read_dead_letters
from fengqiao.messaging.lag import group_lag
from fengqiao.runtime import Runtime
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers, until
from fengqiao.testing.services import Counterparts
from procuratorate.bootstrap import Procuratorate, procuratorate_of
from procuratorate.domain.suggestion import Reminder
from procuratorate.domain.supervision import SupervisionStatus
from procuratorate.timers import remind_due

pytestmark = pytest.mark.asyncio(loop_scope="session")
DAY = timedelta(days=1)
HUB, DEPT = "hub-test", "dept-environment"
PROSECUTOR, CLERK = "检察官 李明", "书记员 陈"
HUB_CASE = "c0ffee00000000000009"
PLACE = Location(county="440781", town="440781105", address="都斛镇海堤")


@dataclass
class Running:
    client: httpx.AsyncClient
    others: Counterparts
    runtime: Runtime
    agency: str

    @property
    def proc(self) -> Procuratorate:
        return procuratorate_of(self.runtime)

    def prosecutor(self, name: str = PROSECUTOR) -> dict[str, str]:
        return staff(self.agency, "prosecutor", name=name)

    def clerk(self) -> dict[str, str]:
        return staff(self.agency, "procuratorate_clerk", name=CLERK)

    def to(self, recipient: str) -> list[Envelope]:
        return [e for e in self.others.sent if e.recipient == recipient]


def configure(monkeypatch: pytest.MonkeyPatch, *, kafka: KafkaSettings, mongo: str) -> str:
    agency = f"procuratorate-{uuid.uuid4().hex[:8]}"
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongo,
        "FENGQIAO_PROCURATORATE_AGENCY_ID": agency,
        "FENGQIAO_PROCURATORATE_DATABASE": f"test_{agency}",
        "FENGQIAO_PROCURATORATE_HUB_AGENCY": HUB,
        "FENGQIAO_PROCURATORATE_REMINDER_INTERVAL_S": "0.3",
    }
    for purpose in ("TOKEN_KEY", "SIGNING_KEY", "FIELD_KEY"):
        env[f"FENGQIAO_PROCURATORATE_{purpose}"] = base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    clear_secret_cache()
    return agency


def staff(agency: str, *roles: str, name: str) -> dict[str, str]:
    return staff_headers("procuratorate", agency=agency, roles=roles, name=name)


@contextlib.asynccontextmanager
async def running(
    monkeypatch: pytest.MonkeyPatch, *, kafka: KafkaSettings, mongo: str
) -> AsyncIterator[Running]:
    agency = configure(monkeypatch, kafka=kafka, mongo=mongo)
    from procuratorate.main import create_app

    app = create_app()
    async with app.router.lifespan_context(app), EventProducer(kafka) as producer:
        runtime: Runtime = app.state.runtime
        others = Counterparts(kafka, agency, producer)
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://procuratorate") as client,
            others.listening(),
        ):
            try:
                yield Running(client, others, runtime, agency)
            finally:
                await runtime.mongo.drop_database(runtime.db.name)


def referral(
    assignment_id: str,
    *,
    category: Category = Category.ENVIRONMENT,
    action: Action = Action.SUPERVISE,
    case_id: str = HUB_CASE,
) -> CaseTransferred:
    now = datetime.now(UTC)
    return CaseTransferred(
        case_id=case_id,
        assignment_id=assignment_id,
        tracking_code="DH2026-0009",
        category=category,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        title="养殖场废水直排入海",
        summary="村民反映养殖场废水直排, 环保部门未予查处",
        location=PLACE,
        parties=[Party(name="陈阿福", phone="13812345678")],
        accept_by=now + timedelta(hours=24),
        due_at=now + timedelta(days=21),
    )


def reply(suggestion_id: str, outcome: Outcome = Outcome.RESOLVED) -> CaseFeedback:
    return CaseFeedback(
        case_id=suggestion_id,
        assignment_id=f"{suggestion_id}-reply",
        at=datetime.now(UTC),
        outcome=outcome,
        summary="已立案查处, 责令停止排放",
    )


SUGGESTION = {
    "department": DEPT,
    "subject": "依法查处养殖废水直排",
    "content": "建议依法查处并督促整改",
    "legal_basis": "《中华人民共和国行政诉讼法》第二十五条第四款",
}


async def drained(svc: Running) -> None:
    """Wait until the procuratorate has consumed (and committed) everything sent to it."""

    async def caught_up() -> bool:
        kafka = svc.runtime.infra.kafka
        return await group_lag(kafka, topics.consumer_group(svc.agency)) == 0

    await until(caught_up, "the procuratorate to catch up")


async def referred_case(svc: Running, assignment_id: str) -> dict[str, Any]:
    """Send a referral and wait for its supervision case."""
    await svc.others.say(HUB, referral(assignment_id), subject=HUB_CASE)

    async def listed() -> dict[str, Any] | None:
        answer = await svc.client.get("/api/v1/supervision-cases", headers=svc.clerk())
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return next((i for i in items if i["order"]["assignment_id"] == assignment_id), None)

    return await until(listed, f"the supervision case of {assignment_id}")


async def suggested_case(svc: Running, assignment_id: str) -> tuple[str, str]:
    """A referral taken up to its suggestion: (case path, suggestion id)."""
    case = await referred_case(svc, assignment_id)
    path = f"/api/v1/supervision-cases/{case['id']}"
    for step, body in (("acceptance", {}), ("investigation", {"note": "调取执法卷宗"})):
        answer = await svc.client.post(f"{path}/{step}", json=body, headers=svc.prosecutor())
        assert answer.status_code == 200, answer.text
    issued = await svc.client.post(f"{path}/suggestion", json=SUGGESTION, headers=svc.prosecutor())
    assert issued.status_code == 201, issued.text
    return path, str(issued.json()["suggestion"]["id"])


async def test_a_referral_is_supervised_and_the_departments_reply_comes_back_once(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(monkeypatch, kafka=kafka, mongo=mongodb_uri) as svc:
        client, others, proc = svc.client, svc.others, svc.proc
        sent = await others.say(HUB, referral("a-1"), subject=HUB_CASE)
        # The same envelope redelivered, and the same referral sent again under a new event id.
        await others._producer.publish(f"xchg.in.{svc.agency}", sent)
        case = await referred_case(svc, "a-1")
        path = f"/api/v1/supervision-cases/{case['id']}"

        async def both_applied() -> bool:
            return len((await proc.stores.cases.get(case["id"])).inbox) == 2

        await until(both_applied, "both orders applied")
        listed = (await client.get("/api/v1/supervision-cases", headers=svc.clerk())).json()
        assert [i["id"] for i in listed["items"]] == [case["id"]]
        assert (case["status"], case["field"], case["category"]) == (
            "received", "environment", "environment",
        )  # fmt: skip

        steps = [
            ("acceptance", {}),
            ("investigation", {"note": "现场勘查, 调取执法卷宗"}),
        ]
        for step, body in steps:
            answer = await client.post(f"{path}/{step}", json=body, headers=svc.prosecutor())
            assert answer.status_code == 200, (step, answer.text)
        issued = await client.post(f"{path}/suggestion", json=SUGGESTION, headers=svc.prosecutor())
        assert issued.status_code == 201, issued.text
        suggestion = issued.json()["suggestion"]
        sid = suggestion["id"]
        assert issued.json()["case"]["status"] == "suggestion_issued"
        assert (suggestion["department"], suggestion["status"], suggestion["overdue"]) == (
            DEPT, "issued", False,
        )  # fmt: skip
        [order] = await others.received(lambda e: e.recipient == DEPT)
        assert order.type == "case.transferred.v1" and order.subject == sid
        assert order.data["action"] == Action.REPLY.value
        assert order.data["assignment_id"] == f"{sid}-reply"

        # The department signs for it, then replies; its reply is delivered twice.
        accepted = CaseAccepted(
            case_id=sid, assignment_id=f"{sid}-reply", accepted_at=order.time, handler="环保局 刘"
        )
        await others.say(DEPT, accepted, subject=sid)
        written = await others.say(DEPT, reply(sid), subject=sid)
        await others._producer.publish(f"xchg.in.{svc.agency}", written)
        await others.received(
            lambda e: e.type == "case.progressed.v1" and e.data["note"].startswith("部门回复")
        )
        await drained(svc)
        replied = (await client.get(f"/api/v1/suggestions/{sid}", headers=svc.clerk())).json()

        closed = await client.post(
            f"{path}/closure", json={"summary": "环保部门已整改到位"}, headers=svc.prosecutor()
        )
        assert closed.status_code == 200, closed.text
        await others.received(lambda e: e.type == "case.feedback.v1")
        as_handler = (await client.get(path, headers=svc.prosecutor())).json()
        as_other = (await client.get(path, headers=svc.prosecutor("检察官 王"))).json()
        raw = await svc.runtime.db["supervision_cases"].find_one({"_id": case["id"]})
        stored_suggestion = await proc.stores.suggestions.get(sid)

    to_hub = svc.to(HUB)
    assert [e.type for e in to_hub] == [
        "case.accepted.v1",
        "case.progressed.v1",  # 调查核实
        "case.progressed.v1",  # 已向部门发出检察建议
        "case.progressed.v1",  # 部门回复, once although delivered twice
        "case.feedback.v1",
    ]
    assert all(e.subject == HUB_CASE and e.data["assignment_id"] == "a-1" for e in to_hub)
    assert to_hub[0].data["handler"] == PROSECUTOR
    assert "依法查处养殖废水直排" in to_hub[2].data["note"]
    assert to_hub[3].data["note"] == "部门回复: 已立案查处, 责令停止排放"
    assert (to_hub[4].data["outcome"], to_hub[4].data["summary"]) == (
        "resolved",
        "环保部门已整改到位",
    )
    assert [e.type for e in svc.to(DEPT)] == ["case.transferred.v1"]

    assert replied["status"] == "replied" and replied["reply"]["rectified"] is True
    assert replied["accepted_by"] == "环保局 刘"
    assert sum(h["note"].startswith("部门回复") for h in replied["history"]) == 1
    assert len(stored_suggestion.inbox) == 2  # the acceptance and the reply, not its redelivery

    statuses = [h["status"] for h in as_handler["history"]]
    assert statuses == [
        s.value
        for s in (
            SupervisionStatus.RECEIVED,
            SupervisionStatus.ACCEPTED,
            SupervisionStatus.INVESTIGATING,
            SupervisionStatus.SUGGESTION_ISSUED,
            SupervisionStatus.REPLIED,
            SupervisionStatus.CLOSED,
        )
    ]
    assert (as_handler["finding"], as_handler["outcome"]) == ("rectified", "resolved")
    assert as_handler["parties"][0]["name"] == "陈阿福"
    assert as_other["parties"][0]["name"] != "陈阿福"
    assert as_other["parties"][0]["phone"] == "138****5678"
    assert raw is not None and "陈阿福" not in str(raw) and "13812345678" not in str(raw)


async def test_a_referral_outside_the_procuratorates_business_is_returned_once(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(monkeypatch, kafka=kafka, mongo=mongodb_uri) as svc:
        theft = referral("t-1", category=Category.THEFT, case_id="c0ffee00000000000010")
        for _ in range(2):
            await svc.others.say(HUB, theft, subject=theft.case_id)
        mediate = referral("m-1", action=Action.MEDIATE, case_id="c0ffee00000000000011")
        await svc.others.say(HUB, mediate, subject=mediate.case_id)
        await svc.others.received(lambda e: e.type == "case.returned.v1", count=2)

        async def all_seen() -> bool:
            refusals = svc.runtime.db["refused_referrals"]
            inboxes = [doc["inbox"] async for doc in refusals.find({})]
            return sorted(map(len, inboxes)) == [1, 2]

        await until(all_seen, "every order seen")
        listed = await svc.client.get("/api/v1/supervision-cases", headers=svc.clerk())

    returned: list[dict[str, Any]] = sorted(
        (e.data for e in svc.to(HUB)), key=lambda d: d["case_id"]
    )
    assert [(r["case_id"], r["assignment_id"], r["reason_code"]) for r in returned] == [
        ("c0ffee00000000000010", "t-1", "procuratorate.not_supervisable"),
        ("c0ffee00000000000011", "m-1", "procuratorate.unsupported_action"),
    ]
    assert "盗窃" in returned[0]["reason"]
    assert listed.json() == {"items": [], "next_cursor": None}


def panel(officers: int = 3) -> list[dict[str, str]]:
    people = [{"name": "李明", "role": "prosecutor"}, {"name": "陈阿福", "role": "party"}]
    return people + [{"name": f"听证员{i}", "role": "hearing_officer"} for i in range(officers)]


def hearing(at: datetime, **changes: Any) -> dict[str, Any]:
    return {
        "subject": "养殖废水直排监督案公开听证",
        "at": at.isoformat(),
        "place": "都斛镇检察室",
        "participants": panel(),
    } | changes


async def test_refused_requests_and_events_change_nothing(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(monkeypatch, kafka=kafka, mongo=mongodb_uri) as svc:
        client, db = svc.client, svc.runtime.db
        clerk, prosecutor = svc.clerk(), svc.prosecutor()
        now = datetime.now(UTC)
        past = await client.post(
            "/api/v1/hearings", json=hearing(now - timedelta(hours=1)), headers=clerk
        )
        bad_panel = await client.post(
            "/api/v1/hearings",
            json=hearing(now + timedelta(days=7), participants=panel(2)),
            headers=clerk,
        )
        stored_after_refusals = [
            await db[name].count_documents({}) for name in ("hearings", "counters")
        ]
        held = await client.post(
            "/api/v1/hearings", json=hearing(now + timedelta(days=7)), headers=clerk
        )

        path, sid = await suggested_case(svc, "a-1")
        await svc.others.say(DEPT, reply(sid), subject=sid)

        async def replied() -> bool:
            return (await svc.proc.stores.suggestions.get(sid)).status.value == "replied"

        await until(replied, "the reply")
        closed = await client.post(
            f"/api/v1/suggestions/{sid}/closure", json={}, headers=prosecutor
        )
        case_before = (await client.get(path, headers=prosecutor)).json()
        suggestion_before = (await client.get(f"/api/v1/suggestions/{sid}", headers=clerk)).json()
        late = await svc.others.say(DEPT, reply(sid), subject=sid)
        letters = await until(lambda: dead_letters(kafka, svc.agency, late.id), "the dead letter")
        case_after = (await client.get(path, headers=prosecutor)).json()
        suggestion_after = (await client.get(f"/api/v1/suggestions/{sid}", headers=clerk)).json()

        unknown = {
            what: await client.get(f"/api/v1/{what}/nope", headers=clerk)
            for what in (
                "supervision-cases",
                "suggestions",
                "hearings",
                "judicial-aid",
                "dispute-reports",
            )
        }
        refused = {
            "accept unknown case": await client.post(
                "/api/v1/supervision-cases/nope/acceptance", json={}, headers=prosecutor
            ),
            "hearing on unknown case": await client.post(
                "/api/v1/hearings",
                json=hearing(now + timedelta(days=7), case_id="nope"),
                headers=clerk,
            ),
            "close suggestion twice": await client.post(
                f"/api/v1/suggestions/{sid}/closure", json={}, headers=prosecutor
            ),
            "investigate after the suggestion": await client.post(
                f"{path}/investigation", json={"note": "补充"}, headers=prosecutor
            ),
            "unknown field": await client.post(
                f"{path}/closure", json={"summary": "x", "finding": "none"}, headers=prosecutor
            ),
            "bad cursor": await client.get("/api/v1/hearings?cursor=zzz", headers=clerk),
            "clerk decides": await client.post(
                f"{path}/closure", json={"summary": "x"}, headers=clerk
            ),
            "no token": await client.get("/api/v1/supervision-cases"),
            "other service's staff": await client.get(
                "/api/v1/supervision-cases", headers=staff(svc.agency, "officer", name="民警")
            ),
        }
        case_untouched = (await client.get(path, headers=prosecutor)).json()

    assert (past.status_code, bad_panel.status_code) == (422, 422), (past.text, bad_panel.text)
    assert "a hearing in the past" in past.json()["detail"]
    assert past.headers["content-type"] == "application/problem+json"
    assert stored_after_refusals == [0, 0], "a refused hearing stores nothing, takes no number"
    assert held.status_code == 201 and held.json()["id"].endswith("-0001"), held.text

    assert closed.status_code == 200 and suggestion_before["status"] == "closed"
    assert [letter.reason for letter in letters] == ["rejected_by_handler"]
    assert "closed" in letters[0].detail
    assert suggestion_after == suggestion_before
    assert case_after == case_before and case_before["status"] == "replied"

    assert {what: r.status_code for what, r in unknown.items()} == dict.fromkeys(unknown, 404)
    assert {what: r.status_code for what, r in refused.items()} == {
        "accept unknown case": 404,
        "hearing on unknown case": 404,
        "close suggestion twice": 409,
        "investigate after the suggestion": 409,
        "unknown field": 422,
        "bad cursor": 422,
        "clerk decides": 403,
        "no token": 401,
        "other service's staff": 403,
    }
    assert case_untouched == case_before


async def dead_letters(kafka: KafkaSettings, agency: str, event_id: str) -> list[DeadLetter]:
    return [
        d
        for d in await read_dead_letters(kafka)
        if d.topic == topics.inbound(agency) and dict(d.headers).get("ce_id") == event_id.encode()
    ]


async def test_a_due_reminder_is_sent_once_however_many_passes_run(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(monkeypatch, kafka=kafka, mongo=mongodb_uri) as svc:
        proc = svc.proc
        _, sid = await suggested_case(svc, "a-1")
        suggestion = await proc.stores.suggestions.get(sid)
        assert await remind_due(proc) == 0  # two months ahead: nothing is due yet

        # Ten days before the reply is due: the 15-day reminder has come, the 3-day one not.
        later = suggestion.reply_due_at - 10 * DAY
        proc.clock = lambda: later
        sent = [await remind_due(proc), await remind_due(proc)]
        [card] = await svc.others.received(lambda e: e.type == "case.supervised.v1")
        stored = await proc.stores.suggestions.get(sid)
        listed = await svc.client.get(
            "/api/v1/suggestions", params={"overdue": "false"}, headers=svc.clerk()
        )
        overdue = await svc.client.get(
            "/api/v1/suggestions", params={"overdue": "true"}, headers=svc.clerk()
        )
        commits = svc.runtime.db["suggestions_commits"].find({"aggregate": sid})
        reminders = [
            e["envelope"]["type"]
            async for c in commits
            for e in c["events"]
            if e["envelope"]["type"] == "case.supervised.v1"
        ]

    # The background pass runs too (every 0.3 s): between it and the two passes, one went.
    assert sum(sent) <= 1 and reminders == ["case.supervised.v1"]
    assert card.recipient == DEPT and card.subject == sid
    assert (card.data["card"], card.data["assignment_id"]) == (Card.YELLOW.value, f"{sid}-reply")
    assert "尚余10日" in card.data["notice"]
    assert stored.reminders_sent == [Reminder.FIFTEEN_DAYS]
    assert stored.next_reminder_at == stored.reply_due_at - 3 * DAY
    assert [s["id"] for s in listed.json()["items"]] == [sid]
    assert overdue.json()["items"] == []


def dispute(ref: str, **changes: Any) -> dict[str, Any]:
    return {
        "external_ref": ref,
        "category": "land_rural",
        "severity": "major",
        "title": "村民反映征地补偿款未发放",
        "description": "十余户村民来访, 反映补偿款拖欠两年",
        "location": {"county": "440781", "town": "440781105", "village": "440781105201"},
        "parties": [{"name": "陈阿福", "phone": "13812345678"}],
    } | changes


async def test_dispute_reports_reach_the_hub_once_and_lists_page_by_cursor(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(monkeypatch, kafka=kafka, mongo=mongodb_uri) as svc:
        client, clerk = svc.client, svc.clerk()
        first = await client.post("/api/v1/dispute-reports", json=dispute("12309-1"), headers=clerk)
        again = await client.post(
            "/api/v1/dispute-reports", json=dispute("12309-1", title="改过的标题"), headers=clerk
        )
        for ref, category in (("12309-2", "land_rural"), ("12309-3", "labour_wage")):
            answer = await client.post(
                "/api/v1/dispute-reports", json=dispute(ref, category=category), headers=clerk
            )
            assert answer.status_code == 201, answer.text
        future = await client.post(
            "/api/v1/dispute-reports",
            json=dispute("12309-4", reported_at=(datetime.now(UTC) + DAY).isoformat()),
            headers=clerk,
        )
        pages: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = await client.get("/api/v1/dispute-reports", params=params, headers=clerk)
            pages.append(page.json())
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        land = await client.get(
            "/api/v1/dispute-reports", params={"category": "land_rural"}, headers=clerk
        )
        as_other = await client.get(
            f"/api/v1/dispute-reports/{first.json()['id']}", headers=svc.prosecutor()
        )
        await svc.others.received(lambda e: e.type == "case.reported.v1", count=3)

        async def nothing_pending() -> bool:
            return await svc.runtime.db["dispute_reports_outbox"].count_documents({}) == 0

        await until(nothing_pending, "the outbox to drain")

    assert (first.status_code, again.status_code, future.status_code) == (201, 200, 422)
    assert again.json()["report"]["title"] == first.json()["report"]["title"]
    assert first.json()["report"]["parties"][0]["name"] == "陈阿福"  # to the clerk who filed it
    assert as_other.json()["report"]["parties"][0]["phone"] == "138****5678"
    assert [len(p["items"]) for p in pages] == [2, 1]
    refs = [i["external_ref"] for p in pages for i in p["items"]]
    assert refs == ["12309-3", "12309-2", "12309-1"]  # newest first, none twice
    assert {i["external_ref"] for i in land.json()["items"]} == {"12309-1", "12309-2"}
    reported = [e for e in svc.to(HUB) if e.type == "case.reported.v1"]
    assert sorted(e.data["external_ref"] for e in reported) == ["12309-1", "12309-2", "12309-3"]
    assert all(e.data["channel"] == "procuratorate" for e in reported)
    assert all(i["reported_by"] == CLERK for p in pages for i in p["items"])
