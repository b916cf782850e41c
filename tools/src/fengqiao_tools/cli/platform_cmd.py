"""`fengqiao up|down|status|serve`: the whole platform as local processes."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from fengqiao.catalog import spec_of
from fengqiao.contracts.topics import consumer_group
from fengqiao.messaging.lag import group_lag
from fengqiao_tools.infra import infra_down, infra_up
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.credentials import local_kafka, operator_kafka
from fengqiao_tools.infra.errors import InfraError
from fengqiao_tools.infra.exchange import provision_exchange, registry_agencies
from fengqiao_tools.infra.services import (
    ServiceProcess,
    is_ready,
    service_processes,
    start_services,
    stop_services,
)

console = Console()


def register(root: typer.Typer, friendly: Callable[[Any], Any]) -> None:
    @root.command()
    @friendly
    def up(timeout: float = typer.Option(180.0, help="seconds to wait for every /readyz")) -> None:
        """Start Kafka, FerretDB and all eight services; wait until every one is ready."""
        cfg = InfraConfig()
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URI"):
            console.print(
                "using the Kafka and MongoDB named by KAFKA_BOOTSTRAP_SERVERS/MONGODB_URI"
            )
        else:
            infra_up(cfg, report=console.print)
            agencies = registry_agencies()
            done = asyncio.run(provision_exchange(local_kafka(cfg), agencies, cfg=cfg))
            console.print(
                f"kafka: {done.users} users, {done.acls} ACLs and {done.topics_created} new "
                f"topics for {len(agencies)} agencies"
            )
        blocked = start_services(cfg)
        for proc in blocked:
            console.print(f"[yellow]{proc.spec.name}: port {proc.port} is taken; not started[/]")
        _wait_ready(cfg, timeout)

    @root.command()
    @friendly
    def down(
        keep_infra: bool = typer.Option(False, help="leave Kafka and FerretDB running"),
    ) -> None:
        """Stop the services, then Kafka and FerretDB."""
        cfg = InfraConfig()
        stopped = stop_services(cfg)
        if not keep_infra:
            stopped += infra_down(cfg)
        console.print(f"stopped: {', '.join(stopped) or 'nothing was running'}")

    @root.command()
    @friendly
    def status() -> None:
        """A table of the services: port, pid, readiness, Kafka consumer lag."""
        cfg = InfraConfig()
        table = Table("service", "port", "pid", "ready", "kafka lag", "log")
        for proc in service_processes(cfg):
            table.add_row(
                proc.spec.name,
                str(proc.port),
                str(proc.pid or "-"),
                "[green]yes[/]" if is_ready(proc.port) else "[red]no[/]",
                _lag(cfg, proc.spec.name),
                str(proc.log),
            )
        console.print(table)

    @root.command()
    def serve(service: str = typer.Argument(..., help="gateway, intake, grid, court, ...")) -> None:
        """Run one service in the foreground (what `up` starts; the images run `fengqiao-serve`)."""
        from fengqiao.web.serve import serve as serve_one

        serve_one(spec_of(service).name)


def _wait_ready(cfg: InfraConfig, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with Live(console=console, refresh_per_second=4) as live:
        while True:
            procs = service_processes(cfg)
            ready = {p.spec.name: p.pid is not None and is_ready(p.port) for p in procs}
            live.update(_progress(procs, ready))
            if all(ready.values()):
                return
            dead = [p.spec.name for p in procs if p.pid is None]
            if dead:
                raise InfraError(
                    f"exited during start: {', '.join(dead)}",
                    f"see {', '.join(str(cfg.logs / f'{name}.log') for name in dead)}",
                )
            if time.monotonic() > deadline:
                waiting = [name for name, ok in ready.items() if not ok]
                raise InfraError(
                    f"not ready after {timeout:.0f}s: {', '.join(waiting)}",
                    f"see the logs in {cfg.logs}",
                )
            time.sleep(0.5)


def _progress(procs: list[ServiceProcess], ready: dict[str, bool]) -> Table:
    table = Table("service", "port", "pid", "state", title="Fengqiao is starting")
    for proc in procs:
        state = "[green]ready[/]" if ready[proc.spec.name] else "[yellow]starting…[/]"
        table.add_row(f"{proc.spec.name} {proc.spec.zh}", str(proc.port), str(proc.pid), state)
    return table


def _lag(cfg: InfraConfig, service: str) -> str:
    try:
        lag = asyncio.run(
            asyncio.wait_for(group_lag(operator_kafka(cfg), consumer_group(service)), 10)
        )
    except Exception:
        return "?"
    return "-" if lag is None else str(lag)
