"""The gateway's OpenAPI document names every edge (tests/test_openapi_documents.py: current)."""

from __future__ import annotations

import json

from fengqiao_tools.cli.contracts_cmd import openapi_document


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
