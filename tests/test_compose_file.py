"""Static checks for the container deployment: docker-compose.yml and the service Dockerfiles.

No Docker engine is needed: the compose file is validated against the Compose Specification
schema bundled with check-jsonschema, and the structure is checked by parsing the YAML.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"

SERVICE_PORTS: dict[str, int] = {
    "gateway": 8000,
    "intake": 8001,
    "grid": 8002,
    "court": 8003,
    "procuratorate": 8004,
    "police": 8005,
    "justice": 8006,
    "platform": 8007,
}


def _load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    return data


def test_compose_file_matches_compose_spec_schema() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            "docker-compose.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"check-jsonschema exited {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )


def test_compose_services_and_dockerfiles() -> None:
    compose = _load_compose()
    assert "version" not in compose, "Compose Specification files have no top-level version"
    services: dict[str, Any] = compose["services"]

    missing = sorted(set(SERVICE_PORTS) - set(services))
    assert not missing, f"services missing from docker-compose.yml: {missing}"

    for name, port in SERVICE_PORTS.items():
        svc = services[name]
        ports = [str(p) for p in svc.get("ports", [])]
        assert f"{port}:{port}" in ports, f"{name} must publish {port}:{port}, got {ports}"

        depends_on = svc.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on must use the long form"
        for dep in ("kafka", "mongo"):
            assert dep in depends_on, f"{name} must depend on {dep}"
            assert depends_on[dep].get("condition") == "service_healthy", (
                f"{name} must wait for {dep} to be healthy"
            )

        healthcheck = svc.get("healthcheck")
        assert healthcheck and healthcheck.get("test"), f"{name} needs a healthcheck"


@pytest.mark.parametrize("service", sorted(SERVICE_PORTS))
def test_dockerfile_is_multi_stage_and_non_root(service: str) -> None:
    dockerfile = ROOT / "services" / service / "Dockerfile"
    assert dockerfile.is_file(), f"missing {dockerfile.relative_to(ROOT)}"

    lines = [line.strip() for line in dockerfile.read_text(encoding="utf-8").splitlines()]
    from_lines = [line for line in lines if line.upper().startswith("FROM ")]
    assert len(from_lines) >= 2, f"{service}: Dockerfile must be multi-stage, got {from_lines}"

    user_lines = [line for line in lines if line.upper().startswith("USER ")]
    assert user_lines, f"{service}: Dockerfile must switch to a non-root USER"
    final_user = user_lines[-1].split(maxsplit=1)[1].split(":")[0]
    assert final_user not in {"root", "0"}, f"{service}: final USER must not be root"
