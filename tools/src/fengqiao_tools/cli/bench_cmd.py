"""`fengqiao bench`: closed-loop throughput and per-hop latency through a running platform
(`fengqiao up`), and the gateway's cost per event against a bare Kafka pass-through."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from fengqiao.security import WeakSecret
from fengqiao_tools.bench.loop import LoopFailed
from fengqiao_tools.bench.report import print_report, save
from fengqiao_tools.bench.run import Plan, bench

console = Console()


def register(root: typer.Typer, friendly: Callable[[Any], Any]) -> None:
    @root.command("bench")
    @friendly
    def bench_command(
        cases: int = typer.Option(200, min=1, help="cases round the loop (after the warm-up)"),
        concurrency: int = typer.Option(10, min=1, help="cases in flight at once"),
        warmup: int = typer.Option(5, min=0, help="cases run first and left out of the figures"),
        events: int = typer.Option(
            10_000,
            min=0,
            help="events for the gateway-vs-pass-through ratio (several times the"
            " router's batch of 500); 0 skips it",
        ),
        prefill: int = typer.Option(
            0, min=0, help="closed cases copied into the store before the measured round"
        ),
        idle: float = typer.Option(
            10.0, min=0, help="seconds of quiet whose CPU is the idle burn; 0 skips it"
        ),
        keep: bool = typer.Option(
            False, "--keep", help="leave the bench's cases (and copies) in the store"
        ),
        poll_ms: int = typer.Option(50, min=5, help="how often the bench looks for the next step"),
        timeout: float = typer.Option(120.0, min=1, help="seconds one case may take"),
        output: Path = typer.Option(
            Path("bench-results/bench.json"), "--output", "-o", help="JSON; the PNG goes beside it"
        ),
    ) -> None:
        """Measure the platform started by `fengqiao up`: cases/s, p50/p95/p99 per hop, and the
        gateway's cost per event; print a table, save JSON and a PNG chart."""
        if 0 < events < 2000:
            console.print("[bold red]error:[/] --events: give 0 (skip) or at least 2000")
            raise typer.Exit(2)
        plan = Plan(
            cases, concurrency, warmup, poll_ms, timeout, events, prefill, idle, clean=not keep
        )
        try:
            result = asyncio.run(bench(plan))
        except (LoopFailed, WeakSecret) as error:
            console.print(f"[bold red]error:[/] {error}")
            raise typer.Exit(1) from None
        print_report(result, console)
        chart = save(result, output)
        console.print(f"saved {output} and {chart}")
        if result["loop"]["failed"]:
            raise typer.Exit(1)
