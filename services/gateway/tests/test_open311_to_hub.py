"""A citizen's Open311 request becomes a hub case through the exchange; the Open311 GET and the
citizen's tracking page then show the status the hub gives it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from gateway.adapters.credentials import open311_key
from gatewaykit import Exchange, running_gateway, serving_hub

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_open311_post_creates_a_case_that_get_and_track_show(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exchange = Exchange()
    exchange.configure(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    async with (
        serving_hub(exchange, monkeypatch, tmp_path, kafka, mongodb_uri) as hub,
        running_gateway() as (gateway, _),
    ):
        posted = await gateway.post(
            "/open311/v2/requests.json",
            data={
                "api_key": open311_key("citizen-app"),
                "service_code": "neighbour",
                "description": "邻居加建围墙占用公共通道",
                "address_string": "都斛镇莲塘村",
                "first_name": "三",
                "last_name": "张",
                "phone": "13800138000",
            },
        )
        assert posted.status_code == 200, posted.text
        token = posted.json()[0]["token"]

        async def resolved() -> httpx.Response | None:
            found = await gateway.get(f"/open311/v2/tokens/{token}.json")
            assert found.status_code in (200, 404), found.text
            return found if found.status_code == 200 else None

        # Public endpoints are rate limited per client (60 a minute): ask at a citizen's pace.
        found = await until(resolved, "the token to name a request", timeout_s=90, every_s=1.0)
        code = found.json()[0]["service_request_id"]

        request = (await gateway.get(f"/open311/v2/requests/{code}.json")).json()[0]
        assert request["service_request_id"] == code
        assert request["service_code"] == "neighbour"
        assert request["status"] == "open"
        tracked = await gateway.get(f"/track/{code}")
        assert tracked.status_code == 200
        at_hub = (await hub.get(f"/api/v1/track/{code}")).json()
        assert tracked.json()["stage"] == at_hub["stage"]
        assert at_hub["category"]["code"] == "neighbour"
        page = await gateway.get(f"/track/{code}", headers={"Accept": "text/html"})
        assert page.headers["content-type"].startswith("text/html")
        assert code in page.text and at_hub["stage"]["zh"] in page.text
        xml = await gateway.get(f"/open311/v2/requests/{code}.xml")
        assert f"<service_request_id>{code}</service_request_id>" in xml.text
