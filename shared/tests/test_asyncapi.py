"""The AsyncAPI document: generated from the registry, self-consistent, and committed up to date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from fengqiao.contracts import REGISTRY, asyncapi
from fengqiao.contracts.envelope import REQUIRED
from fengqiao.contracts.topics import AUDIT, DLQ

REPO_ROOT = Path(__file__).resolve().parents[2]
COMMITTED = REPO_ROOT / "docs" / "asyncapi.yaml"


def _refs(node: Any, path: str = "#") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` in the document, with where it was found."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                assert isinstance(value, str), f"{path}/$ref is not a string"
                yield path, value
            else:
                yield from _refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, f"{path}/{index}")


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref} is not a local reference"
    node: Any = document
    for raw in ref[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve (at {part!r})"
        node = node[part]
    return node


def test_version_and_info() -> None:
    document = asyncapi.build()

    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"]
    assert document["info"]["version"]


def test_one_message_per_registered_type() -> None:
    document = asyncapi.build()
    messages = document["components"]["messages"]

    assert sorted(message["name"] for message in messages.values()) == REGISTRY.types()
    assert len(messages) == len(REGISTRY.types())


def test_message_payload_is_the_registered_schema() -> None:
    document = asyncapi.build()
    schemas = document["components"]["schemas"]

    for message in document["components"]["messages"].values():
        ref = message["payload"]["$ref"]
        assert ref.startswith("#/components/schemas/"), ref
        payload = _resolve(document, ref)
        model = REGISTRY.model_for(message["name"])
        assert model is not None
        assert payload is schemas[model.__name__]
        assert set(payload["properties"]) == set(model.model_fields)
        assert payload["additionalProperties"] is False
        assert message["summary"], f"{message['name']} has no summary"
        assert _resolve(document, message["headers"]["$ref"]) is schemas["CloudEventHeaders"]


def test_every_ref_resolves() -> None:
    document = asyncapi.build()
    refs = list(_refs(document))

    assert len(refs) > len(REGISTRY.types()), "the walk found too few references"
    for where, ref in refs:
        assert _resolve(document, ref) is not None, f"{where}: {ref}"


def test_the_rendered_yaml_resolves_too() -> None:
    document = yaml.safe_load(asyncapi.render())

    assert document == asyncapi.build()
    for where, ref in _refs(document):
        assert _resolve(document, ref) is not None, f"{where}: {ref}"


def test_channels() -> None:
    channels = asyncapi.build()["channels"]
    addresses = {channel["address"] for channel in channels.values()}

    assert {"xchg.out.{agency}", "xchg.in.{agency}", DLQ, AUDIT} <= addresses
    for channel in channels.values():
        if "{agency}" in channel["address"]:
            assert "agency" in channel["parameters"]
            assert len(channel["messages"]) == len(REGISTRY.types())


def test_operations_point_at_channels() -> None:
    document = asyncapi.build()
    actions = {op["action"] for op in document["operations"].values()}

    assert actions == {"send", "receive"}
    for operation in document["operations"].values():
        assert _resolve(document, operation["channel"]["$ref"])["address"]


def test_headers_schema_requires_what_the_decoder_requires() -> None:
    headers = asyncapi.build()["components"]["schemas"]["CloudEventHeaders"]

    assert set(headers["required"]) == {f"ce_{name}" for name in (*REQUIRED, "time")}
    assert set(headers["required"]) <= set(headers["properties"])
    assert headers["properties"]["ce_specversion"]["const"] == "1.0"


def test_committed_document_is_up_to_date() -> None:
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""

    assert committed == asyncapi.render(), (
        f"{COMMITTED.relative_to(REPO_ROOT)} is stale or missing; regenerate it with "
        "`uv run fengqiao contracts asyncapi` (from the repository root) and commit it"
    )
