"""Every service answers /healthz, and /readyz tells the truth about Kafka and MongoDB."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fengqiao.catalog import SERVICES, ServiceSpec
from fengqiao.settings import KafkaSettings
from fengqiao.testing import free_port, point_at_servers


def app_of(spec: ServiceSpec) -> FastAPI:
    module = importlib.import_module(f"{spec.package}.main")
    app: FastAPI = module.app
    return app


@pytest.fixture
def real_infra_env(
    monkeypatch: pytest.MonkeyPatch, kafka: KafkaSettings, mongodb_uri: str
) -> Iterator[None]:
    point_at_servers(monkeypatch, kafka, mongodb_uri)
    yield


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_ready_against_the_real_broker_and_store(spec: ServiceSpec, real_infra_env: None) -> None:
    with TestClient(app_of(spec)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"kafka": "ok", "mongodb": "ok"}


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_not_ready_names_what_is_down(spec: ServiceSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("MONGODB_URI", f"mongodb://127.0.0.1:{free_port()}")
    monkeypatch.setenv(f"FENGQIAO_{spec.name.upper()}_READINESS_TIMEOUT_S", "0.5")
    with TestClient(app_of(spec)) as client:
        assert client.get("/healthz").status_code == 200, "alive even when its dependencies are not"
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    problem = ready.json()
    assert problem["status"] == 503 and problem["down"] == ["kafka", "mongodb"]
    assert "kafka" in problem["detail"] and "mongodb" in problem["detail"]


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_errors_are_problem_details(spec: ServiceSpec) -> None:
    client = TestClient(app_of(spec))  # no lifespan: these answers need no dependency
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["title"] == "Not Found"
    openapi = client.get("/openapi.json").json()
    assert {"/healthz", "/readyz"} <= set(openapi["paths"])
    assert spec.zh in openapi["info"]["title"]
