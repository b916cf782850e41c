"""`fengqiao demo`: play the seeds' scenarios against the platform `fengqiao up` started."""

from __future__ import annotations

import asyncio
import json

import typer
from rich.console import Console

from fengqiao_tools.demo.runner import SCENARIOS, play_all
from fengqiao_tools.demo.table import render

KEYS = ", ".join(s.key for s in SCENARIOS)


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        as_json: bool = typer.Option(False, "--json", help="print the results as JSON"),
        only: list[str] = typer.Option([], "--only", help=f"a scenario ({KEYS}); repeatable"),
        timeout: float = typer.Option(240.0, "--timeout", help="seconds each wait may take"),
    ) -> None:
        """Play the seeds' scenarios through the public APIs and the exchange; print each
        case's path, end state and the URLs to look at. Exit 1 if one falls short."""
        unknown = sorted(set(only) - {s.key for s in SCENARIOS})
        if unknown:
            raise typer.BadParameter(f"unknown scenario {unknown}; known: {KEYS}")
        results = asyncio.run(play_all(only or None, timeout_s=timeout))
        if as_json:
            typer.echo(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
        else:
            console = Console()
            # Piped (e.g. into a log), keep the URLs whole rather than folded at 80 columns.
            render(results, console if console.is_terminal else Console(width=220))
        if not all(r.ok for r in results):
            raise typer.Exit(1)
