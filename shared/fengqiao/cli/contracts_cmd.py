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
