"""`fengqiao agency list|add|disable|enable|credentials`: the gateway's agency registry, through
its admin API. The entries travel as plain JSON: the shared library does not import services."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fengqiao.contracts.codes import AgencyKind, Level
from fengqiao.messaging.admin import ProvisioningError
from fengqiao.security import WeakSecret
from fengqiao.security.signing import agency_signing_key, public_key_from_text, public_key_text
from fengqiao_tools.cli.gateway_client import agency_path, call, fail
from fengqiao_tools.infra.credentials import operator_kafka
from fengqiao_tools.infra.exchange import provision_exchange

app = typer.Typer(help="The gateway's agency registry (admin API).", no_args_is_help=True)
console = Console()

Url = Annotated[
    str,
    typer.Option("--url", envvar="FENGQIAO_GATEWAY_URL", help="the gateway's address"),
]
DEFAULT_URL = "http://127.0.0.1:8000"
KINDS = ", ".join(k.value for k in AgencyKind)
LEVELS = ", ".join(level.value for level in Level)


@app.command("list")
def list_agencies(url: Url = DEFAULT_URL) -> None:
    """The registry's agencies."""
    table = Table("id", "name", "kind", "level", "delivery", "disabled", "public key")
    for a in call(url, "GET", "/api/v1/agencies")[1]:
        table.add_row(
            a["id"],
            a["name_zh"],
            a["kind"],
            a["level"],
            a.get("delivery", "kafka"),
            "yes" if a.get("disabled") else "",
            "yes" if a.get("public_key") else "no",
        )
    console.print(table)


@app.command()
def add(
    file: Path | None = typer.Argument(
        None, exists=True, dir_okay=False, help="YAML or JSON: one entry, a list, or a registry"
    ),
    agency_id: str | None = typer.Option(None, "--id", help="e.g. dept-water"),
    name_zh: str | None = typer.Option(None, "--name-zh", help="the Chinese name"),
    name_en: str | None = typer.Option(None, "--name-en", help="the English name"),
    kind: str | None = typer.Option(None, "--kind", help=KINDS),
    level: str | None = typer.Option(None, "--level", help=LEVELS),
    delivery: str | None = typer.Option(None, "--delivery", help="kafka (default), webhook, pull"),
    webhook_url: str | None = typer.Option(None, "--webhook-url"),
    public_key: str | None = typer.Option(None, "--public-key", help="Ed25519, base64url"),
    send: list[str] = typer.Option(
        [], "--send", help="TYPE:KIND,KIND, e.g. 'case.*:hub'; repeatable"
    ),
    receive: list[str] = typer.Option([], "--receive", help="an event type or prefix*; repeatable"),
    url: Url = DEFAULT_URL,
    kafka: bool = typer.Option(
        True, "--kafka/--no-kafka", help="also make its Kafka user, topics and ACLs"
    ),
) -> None:
    """Add agencies, or replace them whole, from FILE or from the options; each gets its own
    Kafka principal, topics and ACLs on the broker named by KAFKA_* (or the local one)."""
    given = {
        "id": agency_id,
        "name_zh": name_zh,
        "name_en": name_en,
        "kind": kind,
        "level": level,
        "delivery": delivery,
        "webhook_url": webhook_url,
        "public_key": public_key,
    }
    options = {k: v for k, v in given.items() if v is not None}
    if file is not None:
        if options or send or receive:
            fail("give FILE or the options, not both")
        entries = _entries(file)
    else:
        needed = ("id", "name_zh", "name_en", "kind", "level")
        absent = ["--" + key.replace("_", "-") for key in needed if key not in options]
        if absent:
            fail(f"without FILE, give {', '.join(absent)}")
        sends = [_send_right(text) for text in send]
        entries = [{**options, "sends": sends, "receives": list(receive)}]
    for entry in entries:
        about = f"agency {entry['id']}"
        status, _ = call(url, "PUT", agency_path(entry["id"]), json=entry, about=about)
        console.print(f"{'created' if status == 201 else 'replaced'} {escape(entry['id'])}")
    if kafka:
        _provision([str(entry["id"]) for entry in entries])


def _provision(ids: list[str]) -> None:
    broker = operator_kafka()
    try:
        done = asyncio.run(provision_exchange(broker, ids))
    except (KafkaError, OSError, ProvisioningError) as error:
        fail(
            f"the registry has {', '.join(ids)}, but its Kafka user and ACLs were not made on "
            f"{broker.bootstrap_servers} as {broker.principal}: {error}",
            f"run `fengqiao kafka apply --agency {' --agency '.join(ids)}` as the broker's "
            "super user (KAFKA_*), or render them for Strimzi with `fengqiao kafka strimzi`",
        )
    console.print(
        f"kafka: user User:{', User:'.join(ids)} with {done.acls} ACLs "
        f"({done.topics_created} new topics)"
    )


@app.command()
def disable(agency_id: str = typer.Argument(..., metavar="ID"), url: Url = DEFAULT_URL) -> None:
    """Refuse the agency's events, and events to it, until it is enabled again."""
    call(url, "POST", agency_path(agency_id, "/disable"))
    console.print(f"disabled {escape(agency_id)}")


@app.command()
def enable(agency_id: str = typer.Argument(..., metavar="ID"), url: Url = DEFAULT_URL) -> None:
    """Let a disabled agency exchange events again."""
    call(url, "POST", agency_path(agency_id, "/enable"))
    console.print(f"enabled {escape(agency_id)}")


@app.command()
def credentials(
    agency_id: str = typer.Argument(..., metavar="ID"),
    rotate: bool = typer.Option(False, "--rotate", help="issue a new secret, revoking the old"),
    url: Url = DEFAULT_URL,
) -> None:
    """The agency's OAuth2 client credentials for the gateway's /oauth/token."""
    params = {"rotate": "true"} if rotate else None
    found = call(url, "POST", agency_path(agency_id, "/credentials"), params=params)[1]
    # Plain echo: a secret must reach the terminal or a pipe exactly, without markup or wrapping.
    typer.echo(f"client_id      {found['client_id']}")
    typer.echo(f"client_secret  {found['client_secret']}")
    typer.echo(f"generation     {found['generation']}")
    typer.echo(f"webhook_secret {found['webhook_secret']}")


@app.command("public-key")
def public_key(
    service: str = typer.Argument(..., help="a service on this machine, e.g. grid"),
) -> None:
    """Print the public half of a service's signing key, for `agency enrol` at the gateway."""
    try:
        typer.echo(public_key_text(agency_signing_key(service)))
    except (WeakSecret, ValueError) as error:
        fail(str(error))


@app.command()
def enrol(
    agency_id: str = typer.Argument(..., metavar="ID"),
    key: str = typer.Option(..., "--public-key", help="from `fengqiao agency public-key`"),
    url: Url = DEFAULT_URL,
) -> None:
    """Set an agency's Ed25519 public key: the gateway checks its events' signatures with it."""
    try:
        public_key_from_text(key)
    except ValueError as error:
        fail(str(error))
    entry = call(url, "GET", agency_path(agency_id))[1]
    call(url, "PUT", agency_path(agency_id), json={**entry, "public_key": key}, about=agency_id)
    console.print(f"enrolled the signing key of {escape(agency_id)}")


def _entries(file: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))  # JSON is YAML too
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        fail(f"{file} is neither YAML nor JSON: {error}")
    if isinstance(data, dict) and "agencies" in data:  # a whole registry, like agencies.yaml
        data = data["agencies"]
    entries = data if isinstance(data, list) else [data]
    valid = all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries)
    if not entries or not valid:
        fail(f"{file} must hold an agency entry with an id, or a list of them")
    return entries


def _send_right(text: str) -> dict[str, Any]:
    event_type, _, kinds = text.partition(":")
    to = [k.strip() for k in kinds.split(",") if k.strip()]
    if not event_type or not to:
        fail(f"--send {text!r}: write TYPE:KIND,KIND, e.g. 'case.*:hub,court'")
    return {"type": event_type, "to": to}
