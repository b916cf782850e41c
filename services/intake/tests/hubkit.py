"""A running hub for integration tests, configured with an agency id, database, keys and policy
of its own; the forces are played by the library's ``Counterparts``."""

from __future__ import annotations

import base64
import contextlib
import secrets
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from fengqiao.runtime import Runtime
from fengqiao.security import clear_secret_cache
from fengqiao.settings import KafkaSettings
from fengqiao.testing import staff_headers
from fengqiao.testing.services import Counterparts, running_service
from intake.domain.policy import default_policy


def configure_hub(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    *,
    kafka: KafkaSettings,
    mongo: str,
    policy_changes: dict[str, Any] | None = None,
) -> str:
    """Environment for a hub with its own agency id, database, keys and policy; its agency id."""
    agency = f"hub-{uuid.uuid4().hex[:8]}"
    env = {
        **kafka.as_env(),
        "MONGODB_URI": mongo,
        "FENGQIAO_INTAKE_AGENCY_ID": agency,
        "FENGQIAO_INTAKE_DATABASE": f"test_{agency}",
        "FENGQIAO_INTAKE_SUPERVISION_INTERVAL_S": "0.3",
    }
    for purpose in ("TOKEN_KEY", "FIELD_KEY", "TRACKING_KEY"):
        env[f"FENGQIAO_INTAKE_{purpose}"] = base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode()
    if policy_changes:
        policy = default_policy().model_dump(mode="json", exclude={"calendar"})
        path = tmp_path / "policy.yaml"
        path.write_text(yaml.safe_dump({**policy, **policy_changes}, allow_unicode=True))
        env["FENGQIAO_INTAKE_POLICY_FILE"] = str(path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    clear_secret_cache()
    return agency


def staff(agency: str, *roles: str, name: str = "王窗口") -> dict[str, str]:
    return staff_headers("intake", agency=agency, roles=roles or ("officer",), name=name)


def running_hub(
    kafka: KafkaSettings,
) -> contextlib.AbstractAsyncContextManager[tuple[httpx.AsyncClient, Counterparts, Runtime]]:
    """The hub in this process; the forces are its counterparts, speaking only events."""
    from intake.main import create_app

    return running_service(create_app, kafka, name="intake")
