"""The whole platform as separate processes (`fengqiao up`) for cross-service tests.

It gets a Kafka broker and a FerretDB of its own (ports of its own under a home of its own):
topics, consumer groups and the router's transactional id are fixed by the agency ids, so a
second platform on a shared broker (another test, a developer's `fengqiao up`) would take this
one's events, fence its router, and check its signatures against other keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.credentials import local_kafka

from fengqiao.catalog import SERVICES
from fengqiao.testing import free_port


def fengqiao(env: dict[str, str], *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run the `fengqiao` command line against the platform ``env`` describes."""
    return subprocess.run(
        [sys.executable, "-m", "fengqiao_tools", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


EXTERNAL = ("KAFKA_", "MONGODB_URI")  # set, `fengqiao up` starts neither


def platform_env(home: Path) -> dict[str, str]:
    """This process's environment pointed at a platform of its own under ``home``."""
    infra = ("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "MONGO_PORT")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(EXTERNAL)},
        "FENGQIAO_HOME": str(home),
        "COLUMNS": "200",
        "FENGQIAO_PLATFORM_SIM_PORT": str(free_port()),
        **{f"FENGQIAO_INFRA_{name}": str(free_port()) for name in infra},
        **{f"FENGQIAO_{spec.name.upper()}_PORT": str(free_port()) for spec in SERVICES},
    }


def servers_of(env: dict[str, str]) -> dict[str, str]:
    """The broker and the store the platform ``env`` runs on, as the variables that name them."""
    cfg = InfraConfig(
        home=Path(env["FENGQIAO_HOME"]), kafka_port=int(env["FENGQIAO_INFRA_KAFKA_PORT"])
    )
    return {
        **local_kafka(cfg).as_env(),  # its super user
        "MONGODB_URI": f"mongodb://127.0.0.1:{env['FENGQIAO_INFRA_MONGO_PORT']}",
    }
