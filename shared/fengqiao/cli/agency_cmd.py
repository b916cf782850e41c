"""`fengqiao agency list|add|disable|enable|credentials`: the gateway's agency registry, through
its admin API. The entries travel as plain JSON: the shared library does not import services."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, NoReturn
from urllib.parse import quote

import httpx
import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fengqiao.catalog import spec_of
from fengqiao.contracts.codes import AgencyKind, Level
from fengqiao.security import WeakSecret, issue_token, service_secret
from fengqiao.settings import service_settings

app = typer.Typer(help="The gateway's agency registry (admin API).", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)

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
    for a in _call(url, "GET", "/api/v1/agencies")[1]:
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
) -> None:
    """Add agencies, or replace them whole, from FILE or from the options."""
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
            _fail("give FILE or the options, not both")
        entries = _entries(file)
    else:
        needed = ("id", "name_zh", "name_en", "kind", "level")
        absent = ["--" + key.replace("_", "-") for key in needed if key not in options]
        if absent:
            _fail(f"without FILE, give {', '.join(absent)}")
        sends = [_send_right(text) for text in send]
        entries = [{**options, "sends": sends, "receives": list(receive)}]
    for entry in entries:
        about = f"agency {entry['id']}"
        status, _ = _call(url, "PUT", _path(entry["id"]), json=entry, about=about)
        console.print(f"{'created' if status == 201 else 'replaced'} {escape(entry['id'])}")


@app.command()
def disable(agency_id: str = typer.Argument(..., metavar="ID"), url: Url = DEFAULT_URL) -> None:
    """Refuse the agency's events, and events to it, until it is enabled again."""
    _call(url, "POST", _path(agency_id, "/disable"))
    console.print(f"disabled {escape(agency_id)}")


@app.command()
def enable(agency_id: str = typer.Argument(..., metavar="ID"), url: Url = DEFAULT_URL) -> None:
    """Let a disabled agency exchange events again."""
    _call(url, "POST", _path(agency_id, "/enable"))
    console.print(f"enabled {escape(agency_id)}")


@app.command()
def credentials(
    agency_id: str = typer.Argument(..., metavar="ID"),
    rotate: bool = typer.Option(False, "--rotate", help="issue a new secret, revoking the old"),
    url: Url = DEFAULT_URL,
) -> None:
    """The agency's OAuth2 client credentials for the gateway's /oauth/token."""
    params = {"rotate": "true"} if rotate else None
    found = _call(url, "POST", _path(agency_id, "/credentials"), params=params)[1]
    # Plain echo: a secret must reach the terminal or a pipe exactly, without markup or wrapping.
    typer.echo(f"client_id      {found['client_id']}")
    typer.echo(f"client_secret  {found['client_secret']}")
    typer.echo(f"generation     {found['generation']}")


def _entries(file: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))  # JSON is YAML too
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        _fail(f"{file} is neither YAML nor JSON: {error}")
    if isinstance(data, dict) and "agencies" in data:  # a whole registry, like agencies.yaml
        data = data["agencies"]
    entries = data if isinstance(data, list) else [data]
    valid = all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries)
    if not entries or not valid:
        _fail(f"{file} must hold an agency entry with an id, or a list of them")
    return entries


def _send_right(text: str) -> dict[str, Any]:
    event_type, _, kinds = text.partition(":")
    to = [k.strip() for k in kinds.split(",") if k.strip()]
    if not event_type or not to:
        _fail(f"--send {text!r}: write TYPE:KIND,KIND, e.g. 'case.*:hub,court'")
    return {"type": event_type, "to": to}


def _path(agency_id: str, action: str = "") -> str:
    # Quoted whole: an id is one path segment, whatever a user types.
    return f"/api/v1/agencies/{quote(agency_id, safe='')}{action}"


def _admin_token() -> str:
    """A short-lived admin token, minted with the gateway's own key as `fengqiao token` does."""
    try:
        secret = service_secret("gateway", "token-key")
    except WeakSecret as error:
        _fail(str(error))
    agency = service_settings("gateway", port=spec_of("gateway").port).agency_id
    return issue_token(
        secret=secret,
        agency=agency,
        subject="fengqiao-cli",
        name="fengqiao agency",
        roles=["admin"],
        ttl=timedelta(minutes=5),
    )


def _call(url: str, method: str, path: str, *, about: str = "", **kwargs: Any) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {_admin_token()}"}
    try:
        with httpx.Client(base_url=url, timeout=30.0, headers=headers) as client:
            answer = client.request(method, path, **kwargs)
    except httpx.ConnectError:
        _fail(
            f"no gateway answers at {url}",
            "start it with `uv run fengqiao up`, or point --url (or FENGQIAO_GATEWAY_URL) at it",
        )
    except httpx.HTTPError as error:
        _fail(f"calling the gateway at {url} failed: {error!r}")
    if answer.is_success:
        return answer.status_code, answer.json()
    detail, remedy = _problem(answer)
    _fail(f"{about}: {detail}" if about else detail, remedy)


def _problem(answer: httpx.Response) -> tuple[str, str]:
    """The problem details' detail (and field errors), with a remedy where one is known."""
    try:
        body = answer.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = str(body.get("detail") or body.get("title") or f"HTTP {answer.status_code}")
    for err in body.get("errors", []):
        detail += f"\n  {'.'.join(str(p) for p in err.get('loc', []))}: {err.get('msg', '')}"
    remedy = ""
    if answer.status_code == 401:
        remedy = (
            "the gateway uses another token key: run this where it sees the same "
            "FENGQIAO_GATEWAY_TOKEN_KEY (or FENGQIAO_HOME) and FENGQIAO_GATEWAY_AGENCY_ID"
        )
    return detail, remedy


def _fail(message: str, remedy: str = "") -> NoReturn:
    # soft_wrap: the remedy holds a command to copy, which must not be broken across lines.
    errors.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    if remedy:
        errors.print(f"[yellow]what to do:[/] {escape(remedy)}", soft_wrap=True)
    raise typer.Exit(1)
