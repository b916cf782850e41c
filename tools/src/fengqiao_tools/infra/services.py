"""The eight services as local processes: start, wait until ready, report, stop."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from fengqiao.catalog import SERVICES, ServiceSpec
from fengqiao.settings import service_settings
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.credentials import local_kafka, named_in_environment
from fengqiao_tools.infra.process import port_in_use, read_pid, spawn, stop

SIM, SIM_PORT = "platform-sim", 8017  # the adapter's default upstream_url


@dataclass(frozen=True)
class ServiceProcess:
    spec: ServiceSpec
    port: int
    pid: int | None
    log: Path


def service_processes(cfg: InfraConfig) -> list[ServiceProcess]:
    return [
        ServiceProcess(
            spec,
            service_settings(spec.name, port=spec.port).port,
            read_pid(cfg.run / f"{spec.name}.pid"),
            cfg.logs / f"{spec.name}.log",
        )
        for spec in SERVICES
    ]


def start_services(cfg: InfraConfig) -> list[ServiceProcess]:
    """Start each service that is not running; a port held by something else is skipped."""
    env = {
        "MONGODB_URI": os.environ.get("MONGODB_URI", cfg.mongo_uri),
        # On one machine every service's signing key sits in the same key directory, so the
        # gateway may check them there until agencies enrol their public keys in its registry.
        "FENGQIAO_GATEWAY_TRUST_LOCAL_KEYS": os.environ.get(
            "FENGQIAO_GATEWAY_TRUST_LOCAL_KEYS", "true"
        ),
    }
    start_platform_sim(cfg, env)
    blocked = []
    for proc in service_processes(cfg):
        if proc.pid is not None:
            continue
        if port_in_use(proc.port):
            blocked.append(proc)
            continue
        spawn(
            proc.spec.name,
            [sys.executable, "-m", "fengqiao.web.serve", proc.spec.name],
            pid_file=cfg.run / f"{proc.spec.name}.pid",
            log_file=proc.log,
            env={**env, **kafka_identity(cfg, proc.spec.name)},
        )
    return blocked


def kafka_identity(cfg: InfraConfig, agency: str) -> dict[str, str]:
    """A service's own principal on the local broker (its password file only); a broker named
    by ``KAFKA_*`` is the operator's to configure, and passes through as set."""
    if named_in_environment():
        return {}
    return local_kafka(cfg, agency).as_env()


def start_platform_sim(cfg: InfraConfig, env: dict[str, str]) -> None:
    """The stand-in provincial platform (粤平安) the adapter pulls from, reporting a few events a
    minute (port ``FENGQIAO_PLATFORM_SIM_PORT``), unless a real upstream is named
    (``FENGQIAO_PLATFORM_UPSTREAM_URL``). ``env`` is pointed at it for the services."""
    if os.environ.get("FENGQIAO_PLATFORM_UPSTREAM_URL"):
        return
    port = int(os.environ.get("FENGQIAO_PLATFORM_SIM_PORT", SIM_PORT))
    env["FENGQIAO_PLATFORM_UPSTREAM_URL"] = f"http://127.0.0.1:{port}"
    pid_file = cfg.run / f"{SIM}.pid"
    if read_pid(pid_file) is not None or port_in_use(port):
        return
    command = [sys.executable, "-m", "platform_adapter.sim", "--port", str(port)]
    command += ["--rate", "0.05", "--initial", "3"]
    spawn(SIM, command, pid_file=pid_file, log_file=cfg.logs / f"{SIM}.log", env=env)


def stop_services(cfg: InfraConfig) -> list[str]:
    stopped = [spec.name for spec in reversed(SERVICES) if stop(cfg.run / f"{spec.name}.pid")]
    return stopped + ([SIM] if stop(cfg.run / f"{SIM}.pid") else [])


def is_ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=3.0).status_code == 200
    except httpx.HTTPError:
        return False
