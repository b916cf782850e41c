"""Find or start the real servers for a test session.

In order: ``KAFKA_*`` (the broker and the identity to use) / ``MONGODB_URI`` when set;
testcontainers when a Docker engine answers; otherwise the tools' local provisioning,
``fengqiao_tools.infra`` (Kafka from its jars, secured with SCRAM users and ACLs, the tests
acting as its super user; FerretDB built with Go), stopped again at the end if this session
started it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

from fengqiao.settings import KafkaSettings


@dataclass(frozen=True)
class Servers:
    kafka: KafkaSettings
    mongodb_uri: str
    origin: str


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def _containers() -> Iterator[Servers]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.mongodb import MongoDbContainer

    with (
        KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka,
        MongoDbContainer("mongo:8.0") as mongo,
    ):
        yield Servers(
            KafkaSettings(bootstrap_servers=kafka.get_bootstrap_server()),
            mongo.get_connection_url(),
            "testcontainers",
        )


@contextlib.contextmanager
def _local() -> Iterator[Servers]:
    from fengqiao_tools.infra import infra_down, infra_up
    from fengqiao_tools.infra.config import InfraConfig
    from fengqiao_tools.infra.credentials import local_kafka
    from fengqiao_tools.infra.services import service_processes

    cfg = InfraConfig()
    started = infra_up(cfg, report=lambda line: print(f"[fengqiao.testing] {line}"))
    try:
        # The tests act as the broker's super user; agencies' own rights are tested as such.
        yield Servers(local_kafka(cfg), cfg.mongo_uri, "local")
    finally:
        # Leave the servers up if a platform (`fengqiao up`) started using them meanwhile.
        platform_running = any(p.pid is not None for p in service_processes(cfg))
        if started and not platform_running:
            infra_down(cfg, started)


@contextlib.contextmanager
def real_servers() -> Iterator[Servers]:
    kafka, mongo = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URI")
    if kafka and mongo:
        yield Servers(KafkaSettings(), mongo, "environment")
    elif _docker_answers():
        with _containers() as servers:
            yield servers
    else:
        with _local() as servers:
            yield servers
