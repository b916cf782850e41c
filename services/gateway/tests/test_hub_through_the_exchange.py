"""The hub's orders through the real gateway: a delivered transfer is marked delivered on the
case; one the exchange refuses (the force is disabled) is back for re-assessment at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from fengqiao.contracts.codes import AgencyKind
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from gatewaykit import Exchange, running_gateway, serving_hub
from hubkit import staff

pytestmark = pytest.mark.asyncio(loop_scope="session")


def rule(category: str, agency: str) -> dict[str, Any]:
    return {
        "id": f"{category}-to-{agency}",
        "description": "test",
        "when": {"categories": [category]},
        "lead": {"agency": agency, "action": "investigate"},
    }


async def register_and_dispatch(hub: httpx.AsyncClient, auth: dict[str, str], category: str) -> str:
    body = {
        "channel": "walk_in",
        "category": category,
        "title": "测试",
        "description": "through the exchange",
        "location": {"town": "440781100"},
    }
    created = await hub.post("/api/v1/cases", json=body, headers=auth)
    assert created.status_code == 201, created.text
    case_id: str = created.json()["id"]
    for action in ("assessment", "dispatch"):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{action}", json={}, headers=auth)
        assert answer.status_code == 200, answer.text
    return case_id


async def case_when(
    hub: httpx.AsyncClient, auth: dict[str, str], case_id: str, step: str
) -> dict[str, Any]:
    async def stepped() -> dict[str, Any] | None:
        case: dict[str, Any] = (await hub.get(f"/api/v1/cases/{case_id}", headers=auth)).json()
        return case if any(entry["step"] == step for entry in case["timeline"]) else None

    return await until(stepped, f"the step {step} of {case_id}", timeout_s=90)


async def test_transfers_are_acknowledged_or_handed_back(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    police, justice = exchange.of_kind(AgencyKind.POLICE), exchange.of_kind(AgencyKind.JUSTICE)
    exchange.agencies[exchange.agencies.index(justice)] = justice.model_copy(
        update={"disabled": True}
    )
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    rules = {"rules": [rule("theft", police.id), rule("neighbour", justice.id)]}
    async with (
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri, rules) as hub,
        running_gateway(),
    ):
        auth = staff(exchange.id("intake"), "officer")
        theft = await register_and_dispatch(hub, auth, "theft")
        neighbour = await register_and_dispatch(hub, auth, "neighbour")
        delivered = await case_when(hub, auth, theft, "delivered")
        refused = await case_when(hub, auth, neighbour, "undeliverable")

    [to_police] = delivered["assignments"]
    assert to_police["agency"] == police.id and to_police["delivered_at"]
    assert to_police["status"] == "sent"  # delivered, waiting for police to accept
    [to_justice] = refused["assignments"]
    assert to_justice["status"] == "returned"
    assert to_justice["return_reason_code"] == "exchange.agency_disabled"
    assert refused["status"] == "reassessment"
