"""The hub's OpenAPI document is generated from the code and committed up to date."""

from __future__ import annotations

import json
from pathlib import Path

from fengqiao.cli.contracts_cmd import openapi_document

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi" / "intake.json"


def test_the_committed_openapi_document_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document("intake"), (
        "docs/openapi/intake.json is stale: run `uv run fengqiao contracts openapi intake`"
    )


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
