"""The AsyncAPI 3.0 document of the exchange, generated from the event registry."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from fengqiao import __version__
from fengqiao.contracts.envelope import EXTENSIONS
from fengqiao.contracts.registry import REGISTRY
from fengqiao.contracts.topics import AUDIT, DLQ

_REF = "#/components/schemas/{model}"


def _headers_schema() -> dict[str, Any]:
    string = {"type": "string"}
    props: dict[str, Any] = {
        "ce_id": {**string, "description": "CloudEvents id, unique per event"},
        "ce_source": {**string, "description": "URI-reference of the sending agency"},
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_type": {**string, "description": "the event type, e.g. case.reported.v1"},
        "ce_time": {**string, "format": "date-time"},
        "ce_subject": {**string, "description": "the case id; equals the Kafka key"},
        "content-type": {"type": "string", "const": "application/json"},
        "traceparent": {**string, "description": "W3C trace context"},
        "tracestate": string,
    }
    for name in EXTENSIONS:
        props[f"ce_{name}"] = {**string, "description": f"CloudEvents extension `{name}`"}
    return {
        "type": "object",
        "required": ["ce_id", "ce_source", "ce_specversion", "ce_type", "ce_time"],
        "properties": props,
    }


def _message_name(type_: str) -> str:
    return "".join(part.capitalize() for part in type_.replace("_", ".").split("."))


def build() -> dict[str, Any]:
    types = REGISTRY.types()
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (m, "validation") for t in types if (m := REGISTRY.model_for(t)) is not None
    ]
    refs, schema = models_json_schema(models, ref_template=_REF)
    messages: dict[str, Any] = {}
    for type_ in types:
        model = REGISTRY.model_for(type_)
        assert model is not None
        messages[_message_name(type_)] = {
            "name": type_,
            "title": type_,
            "summary": (model.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
            "payload": refs[(model, "validation")],
            "bindings": {"kafka": {"key": {"type": "string", "description": "case id"}}},
        }
    message_refs = {name: {"$ref": f"#/components/messages/{name}"} for name in messages}
    agency = {"agency": {"description": "agency id, e.g. intake, court, police"}}
    channels = {
        "outbound": {
            "address": "xchg.out.{agency}",
            "description": "An agency's events to others; only the gateway reads it.",
            "parameters": agency,
            "messages": message_refs,
        },
        "inbound": {
            "address": "xchg.in.{agency}",
            "description": "Events for an agency; only the gateway writes it.",
            "parameters": agency,
            "messages": message_refs,
        },
        "deadLetters": {
            "address": DLQ,
            "description": "Records that could not be applied, as they arrived, with dlq_* "
            "headers giving the reason, source topic, offset, group and attempts.",
        },
        "audit": {"address": AUDIT, "description": "The gateway's hash-chained exchange log."},
    }
    operations = {
        "sendToExchange": {
            "action": "send",
            "channel": {"$ref": "#/channels/outbound"},
            "summary": "An agency sends an event for another agency.",
        },
        "receiveFromExchange": {
            "action": "receive",
            "channel": {"$ref": "#/channels/inbound"},
            "summary": "An agency receives the events routed to it.",
        },
    }
    schemas = dict(sorted(schema.get("$defs", {}).items()))
    schemas["CloudEventHeaders"] = _headers_schema()
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Fengqiao exchange",
            "version": __version__,
            "description": "Events between the hub (综治中心) and the forces of the 1+6+N model, "
            "as CloudEvents 1.0 in Kafka binary mode. Generated from the event registry.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {"host": "127.0.0.1:9092", "protocol": "kafka", "description": "local"}
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


class _PlainDumper(yaml.SafeDumper):
    """Writes shared sub-documents out in full: no &anchors or *aliases for readers to chase."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def render() -> str:
    return yaml.dump(build(), Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)
