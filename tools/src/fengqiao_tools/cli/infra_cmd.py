"""`fengqiao infra up|down|status`: the broker and the document store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from fengqiao_tools.infra import infra_down, infra_status, infra_up
from fengqiao_tools.infra.config import InfraConfig

console = Console()


def register(root: typer.Typer, friendly: Callable[[Any], Any]) -> None:
    infra = typer.Typer(help="Kafka (KRaft) and FerretDB, fetched, built and run locally.")

    @infra.command("up")
    @friendly
    def up() -> None:
        """Start Kafka and FerretDB (fetched and built on first use); harmless when running."""
        infra_up(InfraConfig(), report=console.print)

    @infra.command("down")
    @friendly
    def down() -> None:
        """Stop Kafka and FerretDB; their data stays for the next start."""
        stopped = infra_down(InfraConfig())
        console.print(f"stopped: {', '.join(stopped) or 'nothing was running'}")

    @infra.command("status")
    @friendly
    def status() -> None:
        """Whether Kafka and FerretDB are running and really serving."""
        table = Table("component", "port", "pid", "serving", "log")
        for row in infra_status(InfraConfig()):
            table.add_row(
                row.name,
                str(row.port),
                str(row.pid or "-"),
                "[green]yes[/]" if row.serving else "[red]no[/]",
                str(row.log),
            )
        console.print(table)

    root.add_typer(infra, name="infra")
