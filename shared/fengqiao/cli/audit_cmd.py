"""`fengqiao audit verify`: recompute the exchange's audit hash chain from its archive in the
gateway's database, and name the first record that was altered or removed."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any, NoReturn, cast

import typer
from pymongo.errors import PyMongoError, ServerSelectionTimeoutError
from rich.console import Console
from rich.markup import escape

from fengqiao.catalog import spec_of
from fengqiao.settings import InfraSettings, service_settings
from fengqiao.storage import connect

app = typer.Typer(help="The exchange's audit log (a hash chain).", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


@app.callback()
def audit() -> None:
    """The exchange's audit log (a hash chain)."""
    # A callback keeps `verify` a subcommand even while it is the only one.


@app.command()
def verify(
    database: str | None = typer.Option(
        None, "--database", help="default: the gateway's (FENGQIAO_GATEWAY_DATABASE)"
    ),
) -> None:
    """Check every archived record against its hash and its link to the one before."""
    name = database or service_settings("gateway", port=spec_of("gateway").port).database
    checked, finding = asyncio.run(_verify(name, InfraSettings().mongodb_uri))
    if finding is not None:
        console.print(escape(str(finding)), soft_wrap=True)
        raise typer.Exit(1)
    if checked == 0:
        # Not a failure (a new exchange has routed nothing), but a wrong --database looks alike.
        console.print(f"0 records: database {escape(name)} holds no audit records")
        return
    console.print(f"{checked} records, chain intact")


async def _verify(database: str, uri: str) -> tuple[int, Any]:
    # The chain's rules live with the gateway; the shared library must not import a service
    # statically, so the CLI loads them when asked (in the workspace, where both are installed).
    try:
        chain = importlib.import_module("gateway.domain.audit")
        archive = importlib.import_module("gateway.adapters.audit_log")
    except ModuleNotFoundError as error:
        _fail(
            f"the gateway package is not installed here ({error})",
            "run it in the Fengqiao workspace: `uv run fengqiao audit verify`",
        )
    client = connect(uri)
    try:
        records = await archive.archived_records(client[database])
    except ServerSelectionTimeoutError:
        _fail(
            "no document store answers at MONGODB_URI",
            "start it with `uv run fengqiao infra up`, or set MONGODB_URI to where it runs",
        )
    except PyMongoError as error:
        _fail(
            f"cannot read the audit archive in database {database}: {error}",
            "start the store with `uv run fengqiao infra up`, or set MONGODB_URI",
        )
    finally:
        await client.close()
    return cast(tuple[int, Any], chain.verify(records))


def _fail(message: str, remedy: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    errors.print(f"[yellow]what to do:[/] {escape(remedy)}", soft_wrap=True)
    raise typer.Exit(1)
