"""`fengqiao keys init`: what a compose stack's first container runs to make every key once."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fengqiao_tools.cli.main import app
from typer.testing import CliRunner

from fengqiao.catalog import SERVICES
from fengqiao.security import clear_secret_cache


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FENGQIAO_HOME", str(tmp_path))
    for spec in SERVICES:
        for purpose in spec.keys:
            monkeypatch.delenv(f"FENGQIAO_{spec.name}_{purpose}".upper().replace("-", "_"), False)
    clear_secret_cache()
    yield tmp_path
    clear_secret_cache()


def test_init_makes_every_key_once_readable_by_its_owner_only(home: Path) -> None:
    result = CliRunner().invoke(app, ["keys", "init"])
    assert result.exit_code == 0, result.output
    secrets = home / "secrets"
    expected = {f"{s.name}-{p}.key" for s in SERVICES for p in s.keys}
    expected |= {f"{s.name}-kafka-password.key" for s in SERVICES} | {"admin-kafka-password.key"}
    assert {p.name for p in secrets.iterdir()} == expected
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in secrets.iterdir())
    before = {p.name: p.read_text() for p in secrets.iterdir()}

    clear_secret_cache()
    again = CliRunner().invoke(app, ["keys", "init"])
    assert again.exit_code == 0, again.output
    assert {p.name: p.read_text() for p in secrets.iterdir()} == before, "kept, not remade"


def test_init_refuses_a_placeholder_key_in_the_environment(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FENGQIAO_GRID_FIELD_KEY", "changeme")
    result = CliRunner().invoke(app, ["keys", "init", "grid"])
    assert result.exit_code == 1
    assert "FENGQIAO_GRID_FIELD_KEY" in result.output and "placeholder" in result.output
