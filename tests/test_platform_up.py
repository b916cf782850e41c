"""`fengqiao up` brings all eight services (and the stand-in provincial platform) to ready;
running it again is harmless; `fengqiao down` stops them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from fengqiao.catalog import SERVICES
from fengqiao.settings import KafkaSettings
from fengqiao.testing import free_port


def fengqiao(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fengqiao_tools", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_up_status_rerun_and_down(kafka: KafkaSettings, mongodb_uri: str, tmp_path: Path) -> None:
    # Ports of their own, so a platform a developer already runs is left alone.
    ports = {spec.name: free_port() for spec in SERVICES}
    sim_port = free_port()
    env = {
        **os.environ,
        "FENGQIAO_HOME": str(tmp_path),
        **kafka.as_env(),
        "MONGODB_URI": mongodb_uri,
        "COLUMNS": "200",
        "FENGQIAO_PLATFORM_SIM_PORT": str(sim_port),
        **{f"FENGQIAO_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    try:
        first = fengqiao(env, "up", "--timeout", "120")
        assert first.returncode == 0, first.stdout + first.stderr
        for name, port in ports.items():
            ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
            assert ready.status_code == 200, f"{name}: {ready.text}"
        pids = {p.name: p.read_text() for p in (tmp_path / "run").glob("*.pid")}
        assert len(pids) == 9, pids  # the eight and the stand-in provincial platform
        sim = httpx.get(f"http://127.0.0.1:{sim_port}/healthz", timeout=5)
        assert sim.status_code == 200, sim.text

        again = fengqiao(env, "up", "--timeout", "60")
        assert again.returncode == 0, again.stdout + again.stderr
        assert {p.name: p.read_text() for p in (tmp_path / "run").glob("*.pid")} == pids

        status = fengqiao(env, "status")
        assert status.returncode == 0, status.stderr
        for name, port in ports.items():
            line = next(row for row in status.stdout.splitlines() if f" {name} " in row)
            assert str(port) in line and "yes" in line, line
        assert (tmp_path / "logs" / "intake.log").stat().st_size > 0, "each service logs to a file"
    finally:
        down = fengqiao(env, "down", "--keep-infra")
    assert down.returncode == 0, down.stderr
    for name, port in [*ports.items(), ("platform-sim", sim_port)]:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            raise AssertionError(f"{name} still answers after down")
        except httpx.ConnectError:
            pass
