"""The hub's whole loop on the real broker and store: forces are played by a test that speaks
only events on the hub's exchange topics (the gateway's routing is not involved yet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
)
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from hubkit import configure_hub, running_hub, staff

LAND_DISPUTE: dict[str, Any] = {
    "channel": "walk_in",
    "category": "land_rural",
    "severity": "general",
    "title": "承包地边界纠纷",
    "description": "两户村民因承包地边界发生争执。",
    "location": {"county": "440781", "town": "440781106", "village": "440781106201"},
    "parties": [
        {
            "name": "张三丰",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "address": "台山市都斛镇南村12号",
        }
    ],
}
CRAB_THEFT: dict[str, Any] = {
    "channel": "hotline_12345",
    "category": "theft",
    "severity": "simple",
    "title": "青蟹被盗",
    "description": "塘里的青蟹夜间被盗。",
    "location": {"county": "440781", "town": "440781106", "village": "440781106202"},
}


def transfer(envelope: Envelope) -> CaseTransferred:
    data = envelope.payload()
    assert isinstance(data, CaseTransferred)
    return data


def transfers(case_id: str) -> Any:
    return lambda e: e.type == "case.transferred.v1" and e.subject == case_id


async def step(
    client: httpx.AsyncClient,
    path: str,
    body: dict[str, Any],
    auth: dict[str, str],
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=auth)
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


async def wait_for_status(
    client: httpx.AsyncClient, case_id: str, status: str, auth: dict[str, str]
) -> dict[str, Any]:
    async def arrived() -> dict[str, Any] | None:
        case: dict[str, Any] = (await client.get(f"/api/v1/cases/{case_id}", headers=auth)).json()
        return case if case["status"] == status else None

    return await until(arrived, f"case {case_id} to be {status}", timeout_s=30)


async def test_a_case_goes_round_the_whole_loop_and_an_overdue_one_escalates(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hub_id = configure_hub(
        monkeypatch,
        tmp_path,
        kafka=kafka,
        mongo=mongodb_uri,
        policy_changes={
            "deadlines": {
                "simple": {"seconds": 3},
                "general": {"days": 7},
                "major": {"days": 21},
                "extra_major": {"days": 21},
            }
        },
    )
    officer = staff(hub_id, "officer")
    async with running_hub(kafka) as (client, forces, _):
        created = await step(client, "/api/v1/cases", LAND_DISPUTE, officer)
        case_id = created["id"]
        assessed = await step(client, f"/api/v1/cases/{case_id}/assessment", {}, officer)
        assert assessed["assessment"]["rule_id"] == "land-rural"
        await step(client, f"/api/v1/cases/{case_id}/dispatch", {}, officer)
        sent = await forces.received(transfers(case_id), count=2)
        by_force = {e.recipient: transfer(e) for e in sent}
        assert set(by_force) == {"justice", "grid"}
        justice, grid = by_force["justice"], by_force["grid"]
        assert sent[0].data["parties"][0]["name"] == "张三丰", "forces get the parties they need"

        await forces.say(
            "justice",
            CaseAccepted(
                case_id=case_id,
                assignment_id=justice.assignment_id,
                accepted_at=now_utc(),
                handler="调解员 李四",
            ),
            subject=case_id,
        )
        await forces.say(
            "grid",
            CaseReturned(
                case_id=case_id,
                assignment_id=grid.assignment_id,
                returned_at=now_utc(),
                reason_code="wrong_grid",
                reason="地块不在本网格",
            ),
            subject=case_id,
        )
        await wait_for_status(client, case_id, "reassessment", officer)
        await step(client, f"/api/v1/cases/{case_id}/assessment", {}, officer)
        await step(client, f"/api/v1/cases/{case_id}/dispatch", {}, officer)
        sent = await forces.received(transfers(case_id), count=3)
        redo = transfer(sent[2])
        assert sent[2].recipient == "grid" and redo.assignment_id not in {
            justice.assignment_id,
            grid.assignment_id,
        }, "only the returned task is sent again"

        for agency, assignment_id in (
            ("grid", redo.assignment_id),
            ("justice", justice.assignment_id),
        ):
            if agency == "grid":
                await forces.say(
                    agency,
                    CaseAccepted(
                        case_id=case_id,
                        assignment_id=assignment_id,
                        accepted_at=now_utc(),
                        handler="网格员 王五",
                    ),
                    subject=case_id,
                )
            await forces.say(
                agency,
                CaseProgressed(
                    case_id=case_id, assignment_id=assignment_id, at=now_utc(), note="已上门"
                ),
                subject=case_id,
            )
            await forces.say(
                agency,
                CaseFeedback(
                    case_id=case_id,
                    assignment_id=assignment_id,
                    at=now_utc(),
                    outcome=Outcome.RESOLVED,
                    summary="双方达成协议",
                ),
                subject=case_id,
            )
        await wait_for_status(client, case_id, "awaiting_verification", officer)
        await step(client, f"/api/v1/cases/{case_id}/verification", {"note": "已电话核实"}, officer)
        closed = await step(
            client, f"/api/v1/cases/{case_id}/closure", {"summary": "纠纷化解"}, officer
        )
        assert closed["closure"]["outcome"] == "resolved"
        closures = await forces.received(lambda e: e.type == "case.closed.v1", count=2)
        assert {e.recipient for e in closures} == {"justice", "grid"}
        done = await step(
            client,
            f"/api/v1/cases/{case_id}/follow-up",
            {"satisfaction": 5, "comment": "满意"},
            officer,
        )
        assert done["status"] == "followed_up"
        steps = [entry["step"] for entry in done["timeline"]]
        assert steps[:3] == ["registered", "assessed", "dispatched"]
        assert {
            "returned",
            "accepted",
            "progressed",
            "feedback",
            "verified",
            "closed",
            "followed_up",
        } <= set(steps)

        theft = await step(client, "/api/v1/cases", CRAB_THEFT, officer)
        await step(client, f"/api/v1/cases/{theft['id']}/assessment", {}, officer)
        await step(client, f"/api/v1/cases/{theft['id']}/dispatch", {}, officer)
        escalations = await forces.received(
            lambda e: e.type == "case.escalated.v1" and e.subject == theft["id"], count=2
        )
        assert {"police", "platform"} <= {e.recipient for e in escalations}
        red = await forces.received(
            lambda e: (
                e.type == "case.supervised.v1"
                and e.data["card"] == "red"
                and e.subject == theft["id"]
            )
        )
        assert red[0].recipient == "police"
        overdue = (await client.get(f"/api/v1/cases/{theft['id']}", headers=officer)).json()
        assert overdue["overdue"] is True and overdue["card"] == "red"
        assert overdue["level"] != "grid", "a red card moved the case up a level"

        stats = (await client.get("/api/v1/stats", headers=staff(hub_id, "analyst"))).json()
    total = stats["total"]
    assert (
        total["accepted"],
        total["finished"],
        total["resolved"],
        total["on_time"],
        total["overdue"],
        total["returned"],
    ) == (2, 1, 1, 1, 1, 1)
    assert total["completion_rate"] == 0.5 and total["resolution_rate"] == 0.5
    assert total["mean_satisfaction"] == 5
    assert stats["by_force"]["grid"]["returned"] == 1
    assert stats["by_force"]["police"]["overdue"] == 1
    assert stats["by_category"]["theft"]["finished"] == 0
