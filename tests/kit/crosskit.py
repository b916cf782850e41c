"""Steps the cross-service tests share: wait for a condition, route a category at the hub,
register and dispatch a case, take the first item of a service's inbox, verify and close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from fengqiao.testing import until

DUHU = {"county": "440781", "town": "440781105"}


def routing(category: str, agency: str, action: str) -> dict[str, Any]:
    rule = {"id": f"{category}-test", "description": "test", "when": {"categories": [category]}}
    return {"rules": [{**rule, "lead": {"agency": agency, "action": action}}]}


async def registered_and_dispatched(hub: httpx.AsyncClient, auth: dict[str, str], body: Any) -> str:
    created = await hub.post("/api/v1/cases", json=body, headers=auth)
    assert created.status_code == 201, created.text
    case_id: str = created.json()["id"]
    for step in ("assessment", "dispatch"):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{step}", json={}, headers=auth)
        assert answer.status_code == 200, answer.text
    return case_id


async def first_item(client: httpx.AsyncClient, path: str, auth: dict[str, str]) -> Any:
    async def listed() -> Any:
        answer = await client.get(path, headers=auth)
        assert answer.status_code == 200, answer.text
        items = answer.json()["items"]
        return items[0] if items else None

    return await until(listed, f"an item at {path}", timeout_s=90)


async def case_when(
    hub: httpx.AsyncClient, auth: dict[str, str], case_id: str, ready: Callable[[Any], bool]
) -> Any:
    async def probe() -> Any:
        case = (await hub.get(f"/api/v1/cases/{case_id}", headers=auth)).json()
        return case if ready(case) else None

    return await until(probe, f"case {case_id} to move on", timeout_s=90)


async def verified_and_closed(
    hub: httpx.AsyncClient, auth: dict[str, str], case_id: str, summary: str
) -> Any:
    for step, body in (("verification", {"note": "核实无误"}), ("closure", {"summary": summary})):
        answer = await hub.post(f"/api/v1/cases/{case_id}/{step}", json=body, headers=auth)
        assert answer.status_code == 200, (step, answer.text)
    return answer.json()
