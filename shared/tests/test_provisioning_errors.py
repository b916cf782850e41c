"""A missing toolchain or a taken port gets a message that says what to do, not a traceback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fengqiao_tools.cli.main import app
from fengqiao_tools.infra import InfraError, infra_up
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.toolchain import require_go, require_java, require_maven
from typer.testing import CliRunner


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def config(tmp_path: Path, kafka_port: int) -> InfraConfig:
    return InfraConfig(home=tmp_path / "home", cache_dir=tmp_path / "cache", kafka_port=kafka_port)


def test_a_taken_port_is_named(tmp_path: Path, listening_port: int) -> None:
    with pytest.raises(InfraError) as caught:
        infra_up(config(tmp_path, kafka_port=listening_port), report=lambda _: None)
    assert f"Port {listening_port} is already in use" in caught.value.problem
    assert "KAFKA_BOOTSTRAP_SERVERS" in caught.value.remedy


def test_the_cli_shows_the_remedy_not_a_traceback(
    tmp_path: Path, listening_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FENGQIAO_HOME", str(tmp_path))
    monkeypatch.setenv("FENGQIAO_INFRA_MONGO_PORT", str(listening_port))
    monkeypatch.setenv("FENGQIAO_INFRA_KAFKA_PORT", str(listening_port))
    result = CliRunner().invoke(app, ["infra", "up"])
    assert result.exit_code == 1
    assert "already in use" in result.output and "what to do" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("require", "package"),
    [(require_java, "openjdk-17-jre-headless"), (require_maven, "maven"), (require_go, "golang")],
)
def test_a_missing_toolchain_says_what_to_install(
    require: object, package: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InfraError) as caught:
        require()  # type: ignore[operator]
    assert f"apt-get install -y {package}" in caught.value.remedy


def test_a_go_too_old_for_ferretdb_is_replaced_by_the_toolchain_module(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_go = shutil.which("go")
    assert real_go is not None, "this machine has Go (see README)"
    old_go = tmp_path / "go"
    old_go.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = version ]; then echo "go version go1.19.8 linux/amd64"; exit 0; fi\n'
        f'exec {real_go} "$@"\n'
    )
    old_go.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    go = require_go()
    assert go.endswith("go1.24.3.linux-amd64/bin/go")
    assert "go1.24.3" in subprocess.run([go, "version"], capture_output=True, text=True).stdout
