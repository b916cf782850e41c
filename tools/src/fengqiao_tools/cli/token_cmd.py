"""`fengqiao token issue`: mint a staff bearer token for calling a service's API."""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from fengqiao.catalog import spec_of
from fengqiao.security import WeakSecret, issue_token, service_secret
from fengqiao.settings import service_settings

app = typer.Typer(help="Staff bearer tokens for a service's API.", no_args_is_help=True)
console = Console(stderr=True)


@app.callback()
def tokens() -> None:
    """Staff bearer tokens for a service's API."""
    # A callback keeps `issue` a subcommand even while it is the only one.


@app.command()
def issue(
    service: str = typer.Argument(..., help="the service the token is for, e.g. intake"),
    user: str = typer.Option(..., "--user", help="staff id, the token's subject"),
    name: str = typer.Option(..., "--name", help="the staff member's display name"),
    role: list[str] = typer.Option(..., "--role", help="a role; repeat for several"),
    hours: float = typer.Option(12.0, "--hours", help="lifetime in hours"),
) -> None:
    """Print a token the service accepts; it must see the same key (env or FENGQIAO_HOME)."""
    if hours <= 0:
        _fail("--hours must be positive")
    try:
        spec = spec_of(service)
    except KeyError as error:
        _fail(str(error.args[0]))
    try:
        secret = service_secret(service, "token-key")
    except WeakSecret as error:
        _fail(str(error))
    agency = service_settings(service, port=spec.port).agency_id
    # stdout carries the token alone, so `TOKEN=$(fengqiao token issue ...)` works.
    typer.echo(
        issue_token(
            secret=secret,
            agency=agency,
            subject=user,
            name=name,
            roles=role,
            ttl=timedelta(hours=hours),
        )
    )


def _fail(message: str) -> NoReturn:
    # soft_wrap: the remedy holds a command to copy, which must not be broken across lines.
    console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(1)
