"""`fengqiao kafka acls|strimzi|apply`: the broker-enforced rights of the exchange, derived from
the gateway's agency registry, shown, rendered for Strimzi, or applied to a broker."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer
import yaml
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.table import Table

from fengqiao.contracts.rights import derive
from fengqiao.messaging.admin import ProvisioningError
from fengqiao.settings import TopicSettings
from fengqiao_tools.cli.gateway_client import fail
from fengqiao_tools.deploy.strimzi import CLUSTER, kafka_topics, kafka_users
from fengqiao_tools.infra.credentials import operator_kafka
from fengqiao_tools.infra.exchange import NotARegistry, provision_exchange, registry_agencies

app = typer.Typer(help="Kafka principals, ACLs and topics of the exchange.", no_args_is_help=True)
console = Console()

Registry = typer.Option(
    None,
    "--registry",
    exists=True,
    dir_okay=False,
    help="agency registry YAML (default: the one the gateway ships)",
)


def _agencies(file: Path | None) -> list[str]:
    try:
        return registry_agencies(file)
    except NotARegistry as error:
        fail(f"{error}; expected agencies: [{{id: ...}}, ...]")


@app.command()
def acls(
    registry: Path | None = Registry,
    as_json: bool = typer.Option(False, "--json", help="one JSON object per rule"),
) -> None:
    """What each principal may do on the broker."""
    rules = derive(_agencies(registry))
    if as_json:
        for a in rules:
            typer.echo(json.dumps({k: str(v) for k, v in a.__dict__.items()}))
        return
    table = Table("principal", "resource", "name", "pattern", "operation")
    for a in rules:
        table.add_row(a.principal, a.resource, a.name, a.pattern, a.operation)
    console.print(table)


@app.command()
def strimzi(
    registry: Path | None = Registry,
    cluster: str = typer.Option(CLUSTER, "--cluster", help="the Strimzi Kafka resource's name"),
    users_only: bool = typer.Option(False, "--users", help="only the KafkaUser resources"),
    topics_only: bool = typer.Option(False, "--topics", help="only the KafkaTopic resources"),
) -> None:
    """KafkaUser (SCRAM-SHA-512 + ACLs) and KafkaTopic resources as YAML, for `k8s/`."""
    agencies = _agencies(registry)
    docs = []
    if not topics_only:
        docs += kafka_users(agencies, cluster=cluster)
    if not users_only:
        docs += kafka_topics(agencies, TopicSettings(), cluster=cluster)
    typer.echo(yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True), nl=False)


@app.command()
def apply(
    registry: Path | None = Registry,
    agency: list[str] = typer.Option(
        [], "--agency", help="only this agency (repeatable); default: every one in the registry"
    ),
) -> None:
    """Make each agency's SCRAM user, topics and ACLs on the broker named by KAFKA_* (or the
    local one), acting as its super user. Passwords come from $FENGQIAO_HOME/secrets."""
    ids = agency or _agencies(registry)
    kafka = operator_kafka()
    try:
        done = asyncio.run(provision_exchange(kafka, ids))
    except (KafkaError, OSError, ProvisioningError) as error:
        fail(f"could not provision {kafka.bootstrap_servers} as {kafka.principal}: {error}")
    console.print(
        f"{done.users} users, {done.topics_created} new topics, {done.acls} ACLs "
        f"for {len(ids)} agencies on {kafka.bootstrap_servers}"
    )
