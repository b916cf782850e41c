"""`fengqiao demo` end to end: the platform as separate processes (`fengqiao up`, on a broker
and a store of its own), the seeds' eight scenarios played through the public APIs and the
exchange, each at its end state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from platformkit import fengqiao, platform_env

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
        played = fengqiao(env, "demo", "--json", "--timeout", "240", timeout=1200)
        results: list[dict[str, Any]] = json.loads(played.stdout)
    finally:
        down = fengqiao(env, "down", timeout=300)
    assert down.returncode == 0, down.stdout + down.stderr

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
