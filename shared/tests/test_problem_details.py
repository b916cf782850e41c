"""Errors a client meets are problem details; a store or broker outage says "try again"."""

from __future__ import annotations

from aiokafka.errors import KafkaConnectionError
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pymongo.errors import ServerSelectionTimeoutError

from fengqiao.web.problems import MEDIA_TYPE, install_problem_handlers


def client_raising(error: Exception) -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/thing")
    async def thing() -> None:
        raise error

    return TestClient(app, raise_server_exceptions=False)


def test_an_unreachable_store_or_broker_is_a_503_the_client_may_retry() -> None:
    for outage in (ServerSelectionTimeoutError("no servers"), KafkaConnectionError()):
        answer = client_raising(outage).get("/thing")
        assert answer.status_code == 503, outage
        assert answer.headers["content-type"] == MEDIA_TYPE
        assert answer.headers["retry-after"] == "2"
        assert answer.json()["detail"].endswith("try again")


def test_a_bug_is_still_a_500_without_its_details() -> None:
    answer = client_raising(RuntimeError("secret internals")).get("/thing")
    assert answer.status_code == 500
    assert "secret" not in answer.text
