"""Every service with an HTTP API has its OpenAPI document generated from the code and
committed up to date, with every route described and every error answered as problem details."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fengqiao_tools.cli.contracts_cmd import openapi_document

DOCS = Path(__file__).resolve().parents[1] / "docs" / "openapi"
DOCUMENTED = (
    "gateway",
    "intake",
    "grid",
    "police",
    "court",
    "procuratorate",
    "justice",
    "platform",
)


@pytest.mark.parametrize("service", DOCUMENTED)
def test_the_committed_openapi_document_is_current(service: str) -> None:
    committed = DOCS / f"{service}.json"
    assert committed.exists() and committed.read_text(encoding="utf-8") == openapi_document(
        service
    ), f"docs/openapi/{service}.json is stale: run `uv run fengqiao contracts openapi {service}`"


@pytest.mark.parametrize("service", DOCUMENTED)
def test_every_route_says_what_it_does(service: str) -> None:
    paths = json.loads(openapi_document(service))["paths"]
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if not (operation.get("description") or operation.get("summary"))
    ]
    assert undocumented == []
