"""Apache Kafka, one KRaft node (broker + controller), from the Maven Central jars."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from fengqiao.contracts.rights import ADMIN
from fengqiao.settings import KafkaSettings
from fengqiao_tools.infra import credentials
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.credentials import CONTROLLER
from fengqiao_tools.infra.errors import InfraError
from fengqiao_tools.infra.toolchain import require_java, require_maven, run_checked

NAME = "kafka"
_SECURED = ".fengqiao-users"  # a data dir formatted with the super user's SCRAM credentials

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>fengqiao.provision</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{kafka}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId>
      <version>{log4j}</version></dependency>
  </dependencies>
</project>
"""

_LOG4J = """status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
"""


def jars_dir(cfg: InfraConfig) -> Path:
    return cfg.cache_dir / f"kafka-{cfg.kafka_version}" / "libs"


def ensure_jars(cfg: InfraConfig) -> Path:
    """Fetch kafka_2.13 and its runtime dependencies once; later runs reuse the cache."""
    libs = jars_dir(cfg)
    done = libs / ".complete"
    if done.exists():
        return libs
    mvn = require_maven()
    work = libs.parent
    work.mkdir(parents=True, exist_ok=True)
    (work / "pom.xml").write_text(_POM.format(kafka=cfg.kafka_version, log4j=cfg.log4j_version))
    run_checked(
        [
            mvn,
            "-q",
            "-B",
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={libs}",
        ],
        what="fetching the Kafka jars with Maven",
        cwd=work,
    )
    done.touch()
    return libs


def data_dir(cfg: InfraConfig) -> Path:
    return cfg.home / "kafka-data"


def write_config(cfg: InfraConfig) -> Path:
    """A broker that knows every client: SCRAM-SHA-512 users on the client listener, a static
    PLAIN user on the controller listener, and Kafka's StandardAuthorizer, so the ACLs derived
    from the registry hold here as they do in a cluster. Holds passwords: written 0600."""
    conf = cfg.home / "kafka"
    conf.mkdir(mode=0o700, parents=True, exist_ok=True)
    controller = f"127.0.0.1:{cfg.kafka_controller_port}"
    admin, ctl = credentials.password(cfg, ADMIN), credentials.password(cfg, CONTROLLER)
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule"
    plain = "org.apache.kafka.common.security.plain.PlainLoginModule"
    properties = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": controller,
        "listeners": f"CLIENTS://127.0.0.1:{cfg.kafka_port},CONTROLLER://{controller}",
        "advertised.listeners": f"CLIENTS://127.0.0.1:{cfg.kafka_port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "CLIENTS",
        "listener.security.protocol.map": "CONTROLLER:SASL_PLAINTEXT,CLIENTS:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": (
            f'{plain} required username="{CONTROLLER}" password="{ctl}" user_{CONTROLLER}="{ctl}";'
        ),
        "listener.name.clients.scram-sha-512.sasl.jaas.config": (
            f'{scram} required username="{ADMIN}" password="{admin}";'
        ),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users": f"User:{ADMIN};User:{CONTROLLER}",
        "allow.everyone.if.no.acl.found": "false",
        "log.dirs": str(data_dir(cfg)),
        "num.partitions": "3",
        # One node: every internal topic has one replica.
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        # One node: the controller's no-op heartbeat to its metadata log every 5 s, not 0.5 s
        # (each one wakes the broker's metadata loader even when nothing changed).
        "metadata.max.idle.interval.ms": "5000",
        # The exchange's topics are created by `fengqiao kafka apply` with their settings; no
        # agency may create one (no CREATE right). Only the super user's tests invent topics.
        "auto.create.topics.enable": "true",
    }
    path = conf / "server.properties"
    path.touch(mode=0o600)
    path.write_text("".join(f"{k}={v}\n" for k, v in properties.items()))
    (conf / "log4j2.properties").write_text(_LOG4J)
    return conf


def _java_command(cfg: InfraConfig, libs: Path, conf: Path, main: str) -> list[str]:
    return [
        require_java(),
        f"-Xmx{cfg.kafka_heap}",
        f"-Dlog4j2.configurationFile={conf / 'log4j2.properties'}",
        f"-Dkafka.logs.dir={cfg.logs}",
        "-cp",
        f"{libs}/*",
        main,
    ]


def format_storage(cfg: InfraConfig, libs: Path, conf: Path) -> None:
    """Format the log dir once; a formatted dir keeps its cluster id and data across restarts."""
    if (data_dir(cfg) / "meta.properties").exists():
        if not (data_dir(cfg) / _SECURED).exists():
            raise InfraError(
                f"The Kafka data in {data_dir(cfg)} was made before the local broker had users.",
                f"Stop Fengqiao (`uv run fengqiao down`), delete {data_dir(cfg)} and start again.",
            )
        return
    run_checked(
        [
            *_java_command(cfg, libs, conf, "kafka.tools.StorageTool"),
            "format",
            "--standalone",
            "-t",
            _cluster_id(),
            "-c",
            str(conf / "server.properties"),
            # The super user exists from the start; every other user is made by provisioning.
            "--add-scram",
            f"SCRAM-SHA-512=[name={ADMIN},password={credentials.password(cfg, ADMIN)}]",
        ],
        what="formatting Kafka storage",
    )
    (data_dir(cfg) / _SECURED).touch()


def command(cfg: InfraConfig) -> list[str]:
    """Everything needed before start; returns the broker's command line."""
    libs = ensure_jars(cfg)
    conf = write_config(cfg)
    format_storage(cfg, libs, conf)
    return [*_java_command(cfg, libs, conf, "kafka.Kafka"), str(conf / "server.properties")]


def _cluster_id() -> str:
    import base64

    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


async def round_trip(kafka: KafkaSettings, timeout_s: float = 10.0) -> None:
    """Produce a record and read it back: proof the broker really serves."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

    topic = "fengqiao.healthcheck"
    marker = uuid.uuid4().hex.encode()
    producer = AIOKafkaProducer(**kafka.client_args(), request_timeout_ms=5000)
    consumer = AIOKafkaConsumer(**kafka.client_args(), enable_auto_commit=False)
    try:
        await producer.start()
        meta = await producer.send_and_wait(topic, marker, partition=0)
        await consumer.start()
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek(tp, meta.offset)
        record = await asyncio.wait_for(consumer.getone(), timeout_s)
        if record.value != marker:
            raise RuntimeError("read back a different record")
    finally:
        await consumer.stop()
        await producer.stop()
