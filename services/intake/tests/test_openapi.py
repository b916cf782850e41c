"""The hub's OpenAPI document names its routes (tests/test_openapi_documents.py: current)."""

from __future__ import annotations

import json

from fengqiao_tools.cli.contracts_cmd import openapi_document


def test_the_hub_routes_are_documented_with_an_example() -> None:
    document = json.loads(openapi_document("intake"))
    paths = document["paths"]
    for route in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/stats",
        "/api/v1/track/{tracking_code}",
        "/api/v1/cases/{case_id}/dispatch",
    ):
        assert route in paths, route
    create = document["components"]["schemas"]["CaseCreate"]
    assert create["examples"][0]["category"] == "land_rural"
