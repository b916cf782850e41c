"""The CLI's calls to the gateway's admin API, with an admin token it mints itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NoReturn
from urllib.parse import quote

import httpx
import typer
from rich.console import Console
from rich.markup import escape

from fengqiao.catalog import spec_of
from fengqiao.security import WeakSecret, issue_token, service_secret
from fengqiao.settings import service_settings

errors = Console(stderr=True)


def agency_path(agency_id: str, action: str = "") -> str:
    # Quoted whole: an id is one path segment, whatever a user types.
    return f"/api/v1/agencies/{quote(agency_id, safe='')}{action}"


def admin_token() -> str:
    """A short-lived admin token, minted with the gateway's own key as `fengqiao token` does."""
    try:
        secret = service_secret("gateway", "token-key")
    except WeakSecret as error:
        fail(str(error))
    agency = service_settings("gateway", port=spec_of("gateway").port).agency_id
    return issue_token(
        secret=secret,
        agency=agency,
        subject="fengqiao-cli",
        name="fengqiao agency",
        roles=["admin"],
        ttl=timedelta(minutes=5),
    )


def call(url: str, method: str, path: str, *, about: str = "", **kwargs: Any) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {admin_token()}"}
    try:
        with httpx.Client(base_url=url, timeout=30.0, headers=headers) as client:
            answer = client.request(method, path, **kwargs)
    except httpx.ConnectError:
        fail(
            f"no gateway answers at {url}",
            "start it with `uv run fengqiao up`, or point --url (or FENGQIAO_GATEWAY_URL) at it",
        )
    except httpx.HTTPError as error:
        fail(f"calling the gateway at {url} failed: {error!r}")
    if answer.is_success:
        return answer.status_code, answer.json()
    detail, remedy = problem(answer)
    fail(f"{about}: {detail}" if about else detail, remedy)


def problem(answer: httpx.Response) -> tuple[str, str]:
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


def fail(message: str, remedy: str = "") -> NoReturn:
    # soft_wrap: the remedy holds a command to copy, which must not be broken across lines.
    errors.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    if remedy:
        errors.print(f"[yellow]what to do:[/] {escape(remedy)}", soft_wrap=True)
    raise typer.Exit(1)
