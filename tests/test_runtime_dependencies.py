"""What a service's image installs: its runtime dependencies only (the lockfile's view, as the
Dockerfile's `uv sync --no-dev --package fengqiao-<service>` resolves them)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fengqiao.catalog import SERVICES, ServiceSpec

ROOT = Path(__file__).resolve().parents[1]
# Plotting is the benchmark's (`fengqiao[bench]`), the rest is for developers.
NOT_AT_RUN_TIME = {"matplotlib", "numpy", "pillow", "pytest", "mypy", "ruff", "testcontainers"}


def runtime_packages(package: str) -> set[str]:
    uv = shutil.which("uv")
    assert uv is not None, "uv is installed by scripts/bootstrap"
    listed = subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--no-hashes", "--package", package],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return {
        match.group(1).lower()
        for line in listed.splitlines()
        if (match := re.match(r"([A-Za-z0-9_.-]+)==", line))
    }


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_a_service_installs_no_plotting_and_no_developer_tools(spec: ServiceSpec) -> None:
    name = spec.name
    installed = runtime_packages(f"fengqiao-{name}")
    assert {"aiokafka", "pymongo", "fastapi"} <= installed, "the export must list the runtime"
    assert not installed & NOT_AT_RUN_TIME
