"""The "N" onboarded (部门接入): a department without Kafka takes the hub's orders by webhook and
answers through the gateway's HTTP edge, on the real broker and store, with the real hub and
gateway on real ports and the sample receiver (tests/kit/department_receiver.py) on another.

The labour department is switched to webhook delivery in the registry the gateway starts with,
and a wage-arrears case routed to it by the hub's rule closes on its feedback. A housing
department is onboarded while everything runs, through the admin API as `fengqiao agency add`
does, takes an order an officer routed to it by hand, and refuses webhooks not signed by the
gateway."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import HttpUrl

from crosskit import DUHU, case_when, registered_and_dispatched, routing, verified_and_closed
from department_receiver import HOOK_PATH, SAMPLE_REPLY, Reply, department_app, department_of
from fengqiao.security.signing import public_key_text
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from gateway.adapters.credentials import webhook_signature
from gateway.bootstrap import gateway_of
from gateway.domain.registry import Agency, Delivery
from gateway.exchange.webhooks import body_of, headers_of
from gatewaykit import Exchange, bound_socket, serving, serving_hub, url_of
from hubkit import staff as hub_staff

pytestmark = pytest.mark.asyncio(loop_scope="session")

WAGE_ARREARS = {
    "channel": "walk_in",
    "category": "labour_wage",
    "title": "工地拖欠农民工工资",
    "description": "十二名工人反映某建筑工地拖欠三个月工资共计十八万元。",
    "location": {**DUHU, "address": "都斛镇新村工地"},
    "parties": [
        {"name": "陈工", "role": "applicant"},
        {"name": "某建筑公司", "role": "respondent"},
    ],
}


@contextlib.asynccontextmanager
async def serving_gateway(sock: socket.socket) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway on a real port (the receiver calls its edge over HTTP), configured from the
    environment Exchange.configure() set; a client of it, once the edge can take events."""
    from gateway.main import create_app

    app = create_app()
    async with serving(app, sock) as url, httpx.AsyncClient(base_url=url) as client:
        runtime = app.state.runtime
        await until(lambda: gateway_of(runtime).producer is not None, "the gateway to get ready")
        try:
            yield client
        finally:
            await runtime.mongo.drop_database(runtime.db.name)


async def credentials(gateway: httpx.AsyncClient, exchange: Exchange, agency: str) -> Any:
    """What `fengqiao agency credentials ID` prints: client id and secret, webhook secret."""
    path = f"/api/v1/agencies/{agency}/credentials"
    answer = await gateway.post(path, headers=exchange.admin())
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_a_labour_department_on_webhooks_takes_a_hub_order_and_the_case_closes(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    hub_id, labour = exchange.id("intake"), exchange.id("dept-labour")
    hook, edge = bound_socket(), bound_socket()
    on_webhooks = {"delivery": Delivery.WEBHOOK, "webhook_url": HttpUrl(url_of(hook) + HOOK_PATH)}
    exchange.agencies = [
        a.model_copy(update=on_webhooks) if a.id == labour else a for a in exchange.agencies
    ]
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    rules = routing("labour_wage", labour, "handle")
    async with (
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri, rules) as hub,
        serving_gateway(edge) as gateway,
    ):
        issued = await credentials(gateway, exchange, labour)
        receiver = department_app(
            agency=labour,
            gateway_url=url_of(edge),
            webhook_secret=issued["webhook_secret"],
            client_secret=issued["client_secret"],
            signing_key=exchange.keys[labour],
        )
        desk = department_of(receiver)
        async with serving(receiver, hook) as receiver_url, httpx.AsyncClient() as http:
            auth = hub_staff(hub_id, "officer")
            case_id = await registered_and_dispatched(hub, auth, WAGE_ARREARS)
            case = await case_when(
                hub, auth, case_id, lambda c: c["status"] == "awaiting_verification"
            )

            # The gateway's delivery again, as after a crash before its commit: taken once.
            [order] = desk.orders
            body = body_of(order)
            again = await http.post(
                receiver_url + HOOK_PATH,
                content=body,
                headers=headers_of(labour, order, body, time.time()),
            )
            assert again.status_code == 200, again.text
            assert len(desk.orders) == 1 and len(desk.replies) == 2

            closed = await verified_and_closed(hub, auth, case_id, "欠薪已足额支付, 当事人满意")

    assert desk.refused == [] and desk.failures == [], "every webhook was signed by the gateway"
    assert order.subject == case_id and order.source == f"/agencies/{hub_id}"
    assert order.data["action"] == "handle" and order.data["category"] == "labour_wage"
    accepted, feedback = desk.replies
    assert (accepted.type, feedback.type) == ("case.accepted.v1", "case.feedback.v1")
    assert {accepted.recipient, feedback.recipient} == {hub_id}
    assert {accepted.subject, feedback.subject} == {case_id}

    [assignment] = case["assignments"]
    assert assignment["agency"] == labour and assignment["status"] == "feedback"
    assert assignment["handler"] == SAMPLE_REPLY.handler
    assert assignment["feedback"]["summary"] == SAMPLE_REPLY.summary
    assert assignment["feedback"]["outcome"] == SAMPLE_REPLY.outcome.value
    assert closed["status"] == "closed"


async def test_a_department_onboarded_at_runtime_answers_and_refuses_forged_webhooks(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    hub_id, housing = exchange.id("intake"), exchange.id("dept-housing")
    its_key = Ed25519PrivateKey.generate()
    hook, edge = bound_socket(), bound_socket()
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    # What `fengqiao agency add housing.yaml` sends; see docs/onboarding.md.
    entry = Agency(
        id=housing,
        name_zh="住房和城乡建设局",
        name_en="housing and construction department",
        kind="department",
        level="county",
        public_key=public_key_text(its_key),
        sends=[{"type": "case.*", "to": ["hub"]}],
        receives=["case.*", "exchange.*"],
        delivery=Delivery.WEBHOOK,
        webhook_url=HttpUrl(url_of(hook) + HOOK_PATH),
    )
    reply = Reply(handler="住建局 物业监管股", summary="已约谈物业公司, 电梯于三日内修复并复检合格")
    async with (
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri) as hub,
        serving_gateway(edge) as gateway,
    ):
        added = await gateway.put(
            f"/api/v1/agencies/{housing}",
            json=entry.model_dump(mode="json", exclude_none=True),
            headers=exchange.admin(),
        )
        assert added.status_code == 201, added.text
        issued = await credentials(gateway, exchange, housing)
        receiver = department_app(
            agency=housing,
            gateway_url=url_of(edge),
            webhook_secret=issued["webhook_secret"],
            client_secret=issued["client_secret"],
            signing_key=its_key,
            auto_reply=reply,
        )
        desk = department_of(receiver)
        async with serving(receiver, hook) as receiver_url, httpx.AsyncClient() as http:
            auth = hub_staff(hub_id, "officer")
            case_id = await dispatched_by_hand(hub, auth, housing)
            case = await case_when(
                hub, auth, case_id, lambda c: c["status"] == "awaiting_verification"
            )

            [order] = desk.orders
            body = body_of(order)
            signed = headers_of(housing, order, body, time.time())
            now = str(int(time.time()))
            forgeries = {
                "altered body": (body.replace(b'"handle"', b'"return"'), signed),
                "stale": (body, headers_of(housing, order, body, time.time() - 3600)),
                "unsigned": (body, {k: v for k, v in signed.items() if "signature" not in k}),
                "another key": (
                    body,
                    {
                        **signed,
                        "x-fengqiao-timestamp": now,
                        "x-fengqiao-signature": webhook_signature(b"not-the-secret", now, body),
                    },
                ),
            }
            for what, (content, headers) in forgeries.items():
                answer = await http.post(receiver_url + HOOK_PATH, content=content, headers=headers)
                assert answer.status_code == 401, (what, answer.text)

    assert len(desk.refused) == len(forgeries), desk.refused
    assert len(desk.orders) == 1 and len(desk.replies) == 2, "a forgery is never acted on"
    [assignment] = case["assignments"]
    assert assignment["agency"] == housing and assignment["status"] == "feedback"
    assert assignment["handler"] == reply.handler
    assert assignment["feedback"]["summary"] == reply.summary


async def dispatched_by_hand(hub: httpx.AsyncClient, auth: dict[str, str], agency: str) -> str:
    """A case the hub's rules would route elsewhere, which an officer sends to ``agency``."""
    complaint = {
        "channel": "hotline_12345",
        "category": "housing_construction",
        "title": "安置小区电梯停运两周",
        "description": "居民反映安置小区3栋电梯停运两周, 物业未维修。",
        "location": {**DUHU, "address": "都斛镇安置小区3栋"},
    }
    created = await hub.post("/api/v1/cases", json=complaint, headers=auth)
    assert created.status_code == 201, created.text
    case_id: str = created.json()["id"]
    plan = {
        "override": {
            "tasks": [{"agency": agency, "action": "handle"}],
            "reason": "电梯安全属住建部门监管, 交新接入的住建局办理",
        }
    }
    for step, body in (("assessment", plan), ("dispatch", {})):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{step}", json=body, headers=auth)
        assert answer.status_code == 200, (step, answer.text)
    return case_id
