"""A window whose answer was lost (a timeout, a restart of the hub) registers again with the
same Idempotency-Key and gets the case it already made, never a second one."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from fengqiao.settings import KafkaSettings
from hubkit import configure_hub, running_hub, staff

CASE: dict[str, Any] = {
    "channel": "hotline_12345",
    "category": "neighbour",
    "title": "楼道堆物纠纷",
    "description": "邻居在楼道堆放杂物，影响通行。",
    "location": {"town": "440781106", "village": "440781106201"},
}


async def test_a_retried_registration_returns_the_first_case(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hub_id = configure_hub(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    officer = staff(hub_id, "officer", name="李窗口")
    keyed = {**officer, "Idempotency-Key": "call-20261122-0001"}
    async with running_hub(kafka) as (client, _forces, runtime):
        first, *retries = await asyncio.gather(
            *(client.post("/api/v1/cases", json=CASE, headers=keyed) for _ in range(4))
        )
        other_key = await client.post(
            "/api/v1/cases", json=CASE, headers={**officer, "Idempotency-Key": "call-0002"}
        )
        no_key = await client.post("/api/v1/cases", json=CASE, headers=officer)
        too_long = await client.post(
            "/api/v1/cases", json=CASE, headers={**officer, "Idempotency-Key": "k" * 129}
        )
        stored = await runtime.db["cases"].count_documents({"title": CASE["title"]})

    assert first.status_code == 201, first.text
    assert [r.json() for r in retries] == [first.json()] * 3
    assert other_key.json()["id"] not in (first.json()["id"], no_key.json()["id"])
    assert too_long.status_code == 422
    assert stored == 3, "one case per key, and one without a key"
