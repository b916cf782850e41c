"""What a service's image installs: its runtime dependencies only (the lockfile's view, as the
Dockerfile's `uv sync --no-dev --package fengqiao-<service>` resolves them)."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fengqiao.catalog import SERVICES, ServiceSpec

ROOT = Path(__file__).resolve().parents[1]
# Plotting is the benchmark's, the command line the tools' (tools/), the rest for developers.
NOT_AT_RUN_TIME = {
    "matplotlib",
    "numpy",
    "pillow",
    "typer",
    "rich",
    "fengqiao-tools",
    "pytest",
    "mypy",
    "ruff",
    "testcontainers",
}
LIBRARY = ROOT / "shared" / "fengqiao"
SERVICE_PACKAGES = {spec.package for spec in SERVICES}


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
def test_a_service_installs_no_plotting_no_tools_and_no_developer_tools(spec: ServiceSpec) -> None:
    name = spec.name
    installed = runtime_packages(f"fengqiao-{name}")
    assert {"aiokafka", "pymongo", "fastapi"} <= installed, "the export must list the runtime"
    assert not installed & NOT_AT_RUN_TIME


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and not n.level
    }
    return {name.split(".")[0] for name in names}


def test_the_library_imports_no_service_and_no_tool() -> None:
    """The runtime library sits under the services and the tools, never on them. Its test kit
    is the one exception for the tools: the ``servers`` fixture starts the local Kafka and
    FerretDB that the tools provision."""
    for path in sorted(LIBRARY.rglob("*.py")):
        where = path.relative_to(ROOT)
        roots = imported_roots(path)
        assert not roots & SERVICE_PACKAGES, f"{where} imports a service"
        if "testing" not in path.relative_to(LIBRARY).parts:
            assert "fengqiao_tools" not in roots, f"{where} imports the tools"
