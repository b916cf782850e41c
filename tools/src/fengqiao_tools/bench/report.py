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


def save(result: dict[str, Any], json_path: Path) -> Path:
    """Write ``json_path`` and the chart beside it (same name, .png); returns the chart's path."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    chart = json_path.with_suffix(".png")
    groups = [(key.replace("_", " "), figures) for key, figures in result["hops"].items()]
    loop = result["loop"]
    title = f"Fengqiao loop latency, {loop['closed']} cases, {loop['cases_per_s']} cases/s"
    from fengqiao_tools.bench.chart import save_chart  # matplotlib: only when a chart is drawn

    result["chart"] = {"path": str(chart), "drawn_with": save_chart(chart, groups, title)}
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return chart
