"""The gateway's OpenAPI document is generated from the code and committed up to date."""

from __future__ import annotations

import json
from pathlib import Path

from fengqiao.cli.contracts_cmd import openapi_document

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi" / "gateway.json"


def test_the_committed_openapi_document_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document("gateway"), (
        "docs/openapi/gateway.json is stale: run `uv run fengqiao contracts openapi gateway`"
    )


def test_every_edge_of_the_gateway_is_documented() -> None:
    paths = json.loads(openapi_document("gateway"))["paths"]
    for route in (
        "/oauth/token",
        "/api/v1/events",
        "/api/v1/agencies",
        "/api/v1/agencies/{agency_id}/disable",
        "/open311/v2/services.{fmt}",
        "/open311/v2/requests.{fmt}",
        "/open311/v2/tokens/{token}.{fmt}",
        "/track/{tracking_code}",
    ):
        assert route in paths, route
