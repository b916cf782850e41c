"""A run's figures: a table on the terminal, JSON and a PNG chart on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


def print_report(result: dict[str, Any], console: Console) -> None:
    m, loop = result["machine"], result["loop"]
    console.print(
        f"[bold]machine[/]: {m['cpus']} CPUs · {m['cpu_model']} · {m['ram_gib']} GiB · "
        f"Python {m['python']} · {m['os']}"
    )
    console.print(
        f"[bold]closed loop[/] (hub → gateway → {loop['force']} → gateway → hub): "
        f"{loop['closed']} closed, {loop['failed']} failed in {loop['wall_s']} s → "
        f"[bold]{loop['cases_per_s']} cases/s[/] at concurrency {result['plan']['concurrency']}"
    )
    table = Table("hop", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms", "max ms", "what it spans")
    for figures in result["hops"].values():
        table.add_row(
            figures["label"],
            str(figures["n"]),
            *(f"{figures[k]:.1f}" for k in ("p50", "p95", "p99", "mean", "max")),
            figures["means"],
        )
    console.print(table)
    _print_cpu(result, console)
    for failure in loop["failures"][:5]:
        console.print(f"[red]failed[/] {failure}")
    cost = result.get("gateway_cost")
    if cost:
        console.print(
            f"[bold]gateway router[/] {cost['router_events_per_s']} events/s "
            f"({cost['router_us_per_event']} µs/event) vs plain aiokafka pass-through "
            f"{cost['pass_through_events_per_s']} events/s ({cost['pass_through_us_per_event']}"
            f" µs/event) over {cost['events']} events → [bold]{cost['router_cost_ratio']}×[/] "
            "the cost per event"
        )


def _print_cpu(result: dict[str, Any], console: Console) -> None:
    used = result["cpu"]
    table = Table("process", "CPU-s", "ms per closed case", "share", "cores")
    for name, row in used["processes"].items():
        table.add_row(
            name,
            f"{row['cpu_s']:.2f}",
            f"{row['ms_per_case']:.1f}",
            f"{row['share']:.0%}",
            f"{row['cores']:.2f}",
        )
    table.add_row(
        "[bold]all processes[/]",
        f"{used['total_cpu_s']:.2f}",
        f"[bold]{used['total_ms_per_case']:.1f}[/]",
        "100%",
        f"{used['total_cores']:.2f}",
    )
    console.print(table)
    console.print(f"the bench's own driver: {used['bench_driver_cpu_s']} CPU-s (not counted)")
    idle = result.get("idle")
    if idle:
        top = ", ".join(f"{n} {c:.3f}" for n, c in list(idle["cores"].items())[:4])
        console.print(
            f"[bold]idle burn[/] over {idle['seconds']} s: [bold]{idle['total_cores']} cores[/]"
            f" (most: {top})"
        )
    prefill = result.get("prefill")
    if prefill:
        console.print(
            f"store pre-filled with {prefill['cases']} closed cases ({prefill['documents']} "
            f"documents in {prefill['seconds']} s)"
        )
    if "cleaned_documents" in result:
        console.print(f"removed the {result['cleaned_documents']} documents the bench wrote")
    for problem in result["loop"]["exactly_once_problems"][:5]:
        console.print(f"[red]not exactly once[/] {problem}")


def save(result: dict[str, Any], json_path: Path) -> Path:
    """Write ``json_path`` and the chart beside it (same name, .png); returns the chart's path."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    chart = json_path.with_suffix(".png")
    groups = [(key.replace("_", " "), figures) for key, figures in result["hops"].items()]
    loop = result["loop"]
    title = f"Fengqiao loop latency, {loop['closed']} cases, {loop['cases_per_s']} cases/s"
    from fengqiao_tools.bench.chart import save_chart  # matplotlib: only when a chart is drawn

    cpu = {name: row["ms_per_case"] for name, row in result["cpu"]["processes"].items()}
    drawn = save_chart(chart, groups, title, cpu)
    result["chart"] = {"path": str(chart), "drawn_with": drawn}
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return chart
