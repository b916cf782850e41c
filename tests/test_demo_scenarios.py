"""`fengqiao demo` end to end: the platform as separate processes (`fengqiao up`, on a broker
and a store of its own), the seeds' eight scenarios played through the public APIs and the
exchange, each at its end state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fengqiao_tools.infra.process import read_pid

from fengqiao.catalog import SERVICES
from platformkit import fengqiao, platform_env


def kafka_identity(home: Path, service: str) -> dict[str, str]:
    """The Kafka identity a running service process was started with (its environment)."""
    pid = read_pid(home / "run" / f"{service}.pid")
    assert pid is not None, f"{service} is not running"
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    pairs = dict(item.decode().split("=", 1) for item in environ if b"=" in item)
    wanted = ("SECURITY_PROTOCOL", "SASL_MECHANISM", "SASL_USERNAME", "SASL_PASSWORD_FILE")
    present = {k: v for k, v in pairs.items() if k.startswith("KAFKA_SASL_PASSWORD")}
    assert set(present) == {"KAFKA_SASL_PASSWORD_FILE"}, "a password file, never the password"
    return {f"KAFKA_{k}": pairs[f"KAFKA_{k}"] for k in wanted if f"KAFKA_{k}" in pairs}


pytestmark = pytest.mark.integration  # its own servers, through `fengqiao up`

EXPECTED = {
    "crabs": "closed (resolved)",
    "rice-insurance": "followed_up (resolved)",
    "collective-income": "closed (resolved)",
    "oyster-rafts": "closed (resolved)",
    "land-contract": "closed (resolved)",
    "wage": "closed (resolved)",
    "civil-debt": "closed (referred)",
    "platform-repeat": "one case, linked",
}


def test_every_scenario_of_the_seeds_reaches_its_end_state(tmp_path: Path) -> None:
    env = platform_env(tmp_path)
    try:
        up = fengqiao(env, "up", "--timeout", "300", timeout=900)
        assert up.returncode == 0, up.stdout + up.stderr
        identities = {spec.name: kafka_identity(tmp_path, spec.name) for spec in SERVICES}
        played = fengqiao(env, "demo", "--json", "--timeout", "240", timeout=1200)
        results: list[dict[str, Any]] = json.loads(played.stdout)
    finally:
        down = fengqiao(env, "down", timeout=300)
    assert down.returncode == 0, down.stdout + down.stderr

    # Every service ran as its own principal on the secured broker, knowing only its own password:
    # the scenarios below crossed the exchange under the broker's ACLs.
    for name, identity in identities.items():
        assert identity == {
            "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "KAFKA_SASL_USERNAME": name,
            "KAFKA_SASL_PASSWORD_FILE": str(tmp_path / "secrets" / f"{name}-kafka-password.key"),
        }

    by_key = {r["key"]: r for r in results}
    assert set(by_key) == set(EXPECTED), played.stderr
    reached = {key: (r["end_state"], r["error"]) for key, r in by_key.items()}
    assert reached == {key: (state, None) for key, state in EXPECTED.items()}, played.stderr
    assert played.returncode == 0, played.stderr
    for result in results:
        assert result["case_id"] and result["tracking_code"], result
        assert result["urls"]["citizen"].endswith(f"/track/{result['tracking_code']}"), result
        assert result["path"][-1] == "intake", result  # every matter ends back at the hub

    # The forces each matter went through, in order: the seeds' paths.
    assert by_key["crabs"]["path"] == ["intake", "police", "intake"]
    assert by_key["civil-debt"]["path"] == ["intake", "court", "intake"]
    assert any("民初" in note for note in by_key["civil-debt"]["notes"])
    for key in ("collective-income", "land-contract"):
        assert by_key[key]["path"][-3:] == ["court", "justice", "intake"], by_key[key]
        assert any("民特" in note for note in by_key[key]["notes"]), by_key[key]
    assert any(n.startswith("包案领导") for n in by_key["rice-insurance"]["notes"])
    assert set(by_key["oyster-rafts"]["path"]) >= {
        "dept-agriculture",
        "dept-enforcement",
        "dept-marine-police",
    }
    assert set(by_key["wage"]["path"]) >= {"dept-labour", "justice"}
    assert by_key["platform-repeat"]["path"] == ["platform", "intake"]
