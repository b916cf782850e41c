"""The demo's table (演示结果表): scenario, case, path, end state and where to look."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from fengqiao_tools.demo.result import Result


def render(results: list[Result], console: Console) -> None:
    table = Table(title="Fengqiao 枫桥 — the seeds' scenarios", show_lines=True)
    for column in ("scenario", "case / tracking code", "path", "end state", "where to look"):
        table.add_column(column, overflow="fold")
    for r in results:
        mark = "[green]✔[/]" if r.ok else "[red]✘[/]"
        state = f"{mark} {r.end_state}"
        if not r.ok:
            state += f"\n[dim]expected {r.expected}[/]"
        if r.error:
            state += f"\n[red]{r.error}[/]"
        case = "\n".join(x for x in (r.case_id, r.tracking_code) if x) or "—"
        looks = "\n".join(f"{name}: {url}" for name, url in r.urls.items())
        scenario = r.title + ("".join(f"\n[dim]{note}[/]" for note in r.notes))
        table.add_row(scenario, case, " → ".join(r.path), state, looks)
    console.print(table)
    passed = sum(r.ok for r in results)
    console.print(f"{passed} of {len(results)} scenarios reached their end state")
