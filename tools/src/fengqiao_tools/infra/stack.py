"""Bring the broker and the document store up, report on them, and take them down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fengqiao_tools.infra import credentials, ferretdb, kafka
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.errors import InfraError
from fengqiao_tools.infra.process import exclusive, port_in_use, read_pid, spawn, stop, tail


@dataclass(frozen=True)
class Component:
    name: str
    port: Callable[[InfraConfig], int]
    command: Callable[[InfraConfig], list[str]]
    probe: Callable[[InfraConfig], Awaitable[None]]
    extra_ports: Callable[[InfraConfig], list[int]] = lambda _: []

    def ports(self, cfg: InfraConfig) -> list[int]:
        return [self.port(cfg), *self.extra_ports(cfg)]


COMPONENTS = (
    Component(
        kafka.NAME,
        lambda c: c.kafka_port,
        kafka.command,
        lambda c: kafka.round_trip(credentials.local_kafka(c)),
        lambda c: [c.kafka_controller_port],
    ),
    Component(
        ferretdb.NAME,
        lambda c: c.mongo_port,
        ferretdb.command,
        lambda c: ferretdb.ping(c.mongo_uri),
    ),
)


@dataclass(frozen=True)
class InfraStatus:
    name: str
    port: int
    pid: int | None
    serving: bool
    log: Path


def _pid_file(cfg: InfraConfig, name: str) -> Path:
    return cfg.run / f"{name}.pid"


def _log_file(cfg: InfraConfig, name: str) -> Path:
    return cfg.logs / f"{name}.log"


def infra_up(cfg: InfraConfig, report: Callable[[str], None] = print) -> list[str]:
    """Start whatever is not running; returns the names this call started. Idempotent."""
    started = []
    with exclusive(cfg.run / "infra.lock"):
        for component in COMPONENTS:
            if _start(cfg, component, report):
                started.append(component.name)
    return started


def _start(cfg: InfraConfig, component: Component, report: Callable[[str], None]) -> bool:
    port = component.port(cfg)
    pid_file = _pid_file(cfg, component.name)
    log = _log_file(cfg, component.name)
    if read_pid(pid_file) is not None:
        if not port_in_use(port):  # ours, still booting: wait for it rather than start another
            _wait_serving(cfg, component, log)
        report(f"{component.name}: already running on port {port}")
        return False
    for taken in component.ports(cfg):
        _refuse_taken(component.name, taken)
    report(
        f"{component.name}: preparing (first run fetches and builds; later runs reuse the cache)"
    )
    argv = component.command(cfg)
    pid = spawn(component.name, argv, pid_file=pid_file, log_file=log)
    report(f"{component.name}: started (pid {pid}), waiting until it serves on port {port}")
    _wait_serving(cfg, component, log)
    report(f"{component.name}: serving on port {port}")
    return True


def _refuse_taken(name: str, port: int) -> None:
    if port_in_use(port):
        raise InfraError(
            f"Port {port} is already in use by another process, so {name} cannot start.",
            f"Stop that process (see `ss -ltnp 'sport = :{port}'`), or point Fengqiao at it with "
            "KAFKA_BOOTSTRAP_SERVERS / MONGODB_URI, or move ours with FENGQIAO_INFRA_*_PORT.",
        )


def _wait_serving(cfg: InfraConfig, component: Component, log: Path) -> None:
    deadline = time.monotonic() + cfg.start_timeout_s
    last_error = ""
    while time.monotonic() < deadline:
        if read_pid(_pid_file(cfg, component.name)) is None:
            raise InfraError(
                f"{component.name} exited during start. Last lines of {log}:\n" + tail(log)
            )
        if port_in_use(component.port(cfg)):
            try:
                asyncio.run(asyncio.wait_for(component.probe(cfg), 15))
                return
            except Exception as exc:
                last_error = repr(exc)
        time.sleep(0.5)
    raise InfraError(
        f"{component.name} did not serve within {cfg.start_timeout_s:.0f}s ({last_error}).",
        f"Its log is {log}:\n{tail(log)}",
    )


def infra_down(cfg: InfraConfig, names: list[str] | None = None) -> list[str]:
    """Stop the components (all by default, in reverse order); returns those that were running."""
    stopped = []
    with exclusive(cfg.run / "infra.lock"):
        for component in reversed(COMPONENTS):
            wanted = names is None or component.name in names
            if wanted and stop(_pid_file(cfg, component.name)):
                stopped.append(component.name)
    return stopped


def infra_status(cfg: InfraConfig) -> list[InfraStatus]:
    result = []
    for component in COMPONENTS:
        serving = True
        try:
            asyncio.run(asyncio.wait_for(component.probe(cfg), 10))
        except Exception:
            serving = False
        result.append(
            InfraStatus(
                component.name,
                component.port(cfg),
                read_pid(_pid_file(cfg, component.name)),
                serving,
                _log_file(cfg, component.name),
            )
        )
    return result
