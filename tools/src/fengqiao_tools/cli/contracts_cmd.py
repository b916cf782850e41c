"""`fengqiao contracts`: the event types, their JSON Schemas and the AsyncAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from fengqiao.contracts import REGISTRY
from fengqiao.contracts.asyncapi import render

app = typer.Typer(help="Event contracts: types, JSON Schema, AsyncAPI.")
console = Console()


@app.command("list")
def list_types() -> None:
    """The registered event types."""
    for type_ in REGISTRY.types():
        console.print(type_)


@app.command()
def schema(event_type: str) -> None:
    """The JSON Schema of one event type's data."""
    if REGISTRY.model_for(event_type) is None:
        console.print(f"[red]unknown event type {event_type}[/]; see `fengqiao contracts list`")
        raise typer.Exit(1)
    print(json.dumps(REGISTRY.json_schema(event_type), ensure_ascii=False, indent=2))


@app.command()
def asyncapi(
    output: Path = typer.Option(Path("docs/asyncapi.yaml"), help="file to write; '-' for stdout"),
) -> None:
    """Write the AsyncAPI 3.0 document generated from the registry."""
    text = render()
    if str(output) == "-":
        print(text, end="")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {output}")


def openapi_document(service: str) -> str:
    """The OpenAPI document of a service's HTTP API, as FastAPI generates it from the code."""
    import importlib

    from fengqiao.catalog import spec_of

    main = importlib.import_module(f"{spec_of(service).package}.main")
    return json.dumps(main.app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@app.command()
def openapi(
    service: str = typer.Argument("intake", help="catalogue name of the service"),
    output: Path | None = typer.Option(None, help="default: docs/openapi/<service>.json"),
) -> None:
    """Write a service's OpenAPI document generated from its routes and schemas."""
    target = output or Path("docs/openapi") / f"{service}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(openapi_document(service), encoding="utf-8")
    console.print(f"wrote {target}")
