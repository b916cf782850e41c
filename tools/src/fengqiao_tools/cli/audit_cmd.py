"""`fengqiao audit verify`: recompute the exchange's audit hash chain from its archive in the
gateway's database, hold the archive against the audit topic (the only place that knows where the
chain ends), and name the first record altered, removed or added."""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
from types import ModuleType
from typing import Any, NoReturn

import typer
from aiokafka.errors import KafkaConnectionError, KafkaError
from pymongo.errors import PyMongoError, ServerSelectionTimeoutError
from rich.console import Console
from rich.markup import escape

from fengqiao.catalog import spec_of
from fengqiao.contracts import topics
from fengqiao.settings import InfraSettings, service_settings
from fengqiao.storage import connect
from fengqiao_tools.infra.credentials import operator_kafka

app = typer.Typer(help="The exchange's audit log (a hash chain).", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)
UNSEEN = "records removed from its end, or its last record rewritten, would go unnoticed"


@app.callback()
def audit() -> None:
    """The exchange's audit log (a hash chain)."""
    # A callback keeps `verify` a subcommand even while it is the only one.


@app.command()
def verify(
    database: str | None = typer.Option(
        None, "--database", help="default: the gateway's (FENGQIAO_GATEWAY_DATABASE)"
    ),
    topic: str = typer.Option(
        topics.AUDIT, "--topic", envvar="FENGQIAO_GATEWAY_AUDIT_TOPIC", help="the chain's topic"
    ),
    archive_only: bool = typer.Option(
        False, "--archive-only", help=f"do not compare with the topic: {UNSEEN}"
    ),
    allow_lag: int = typer.Option(
        0, "--allow-lag", min=0, help="accept the N newest topic records not archived yet"
    ),
    wait: float = typer.Option(
        10.0, "--wait", min=0, help="seconds to let the archiver copy the newest records"
    ),
) -> None:
    """Check every archived record against its hash and its link to the one before, then that
    the archive holds every record the audit topic holds, unchanged, up to its end."""
    name = database or service_settings("gateway", port=spec_of("gateway").port).database
    logged = None if archive_only else topic
    checked, finding, note = asyncio.run(_audit(name, logged, allow_lag, wait))
    if finding is not None:
        console.print(escape(str(finding)), soft_wrap=True)
    elif checked == 0:
        # Not a failure (a new exchange has routed nothing), but a wrong --database looks alike.
        console.print(f"0 records: database {escape(name)} holds no audit records")
    else:
        console.print(f"{checked} records, chain intact")
    console.print(escape(note), soft_wrap=True)
    if finding is not None:
        raise typer.Exit(1)


async def _audit(
    database: str, topic: str | None, allow_lag: int, wait: float
) -> tuple[int, Any, str]:
    """(records checked, the first finding of either check, what became of the topic check)."""
    chain, log = _gateway()
    infra = InfraSettings()
    # The archive first: read after the topic, the archiver's newest copies would look added.
    records = await _archived(log, database, infra.mongodb_uri)
    found, note = None, f"not compared with the audit topic (--archive-only): {UNSEEN}"
    if topic is not None:
        try:
            logged = await log.topic_records(operator_kafka(), topic)
        except (KafkaError, OSError, LookupError, ValueError) as error:
            note = f"not compared with the audit topic {topic} ({_unread(infra, error)}): {UNSEEN}"
        else:
            deadline = time.monotonic() + wait
            found = chain.compare(records, logged, allow_lag=allow_lag)
            while _behind(found, records) and time.monotonic() < deadline:
                # Only the newest are missing: the archiver may not have copied them yet.
                await asyncio.sleep(0.5)
                records = await _archived(log, database, infra.mongodb_uri)
                found = chain.compare(_upto(records, logged), logged, allow_lag=allow_lag)
            note = _compared(topic, logged, records, allow_lag)
    checked, own = chain.verify(records)
    first = min((f for f in (own, found) if f is not None), key=lambda f: f.sequence, default=None)
    return checked, first, note


def _compared(topic: str, logged: list[dict[str, Any]], records: list[Any], lag: int) -> str:
    if not logged:
        return f"not compared with the audit topic {topic}: it holds no records; {UNSEEN}"
    first, last = logged[0]["sequence"], logged[-1]["sequence"]
    said = f"compared with the audit topic {topic}: records {first}–{last}"
    if first > 0:
        said += f" (it no longer holds the ones before {first})"
    unarchived = max(0, last - max(_end(records), first - 1))
    if unarchived and lag:
        said += f"; {unarchived} newest not archived yet (allowed by --allow-lag {lag})"
    return said


def _behind(finding: Any, records: list[dict[str, Any]]) -> bool:
    return finding is not None and finding.problem == "missing" and finding.sequence > _end(records)


def _end(records: list[dict[str, Any]]) -> int:
    return max((r["sequence"] for r in records if isinstance(r.get("sequence"), int)), default=-1)


def _upto(records: list[dict[str, Any]], logged: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out what was archived after the topic was read: that cannot be compared yet."""
    end = _end(logged)
    return [r for r in records if not (isinstance(r.get("sequence"), int) and r["sequence"] > end)]


def _unread(infra: InfraSettings, error: Exception) -> str:
    if isinstance(error, KafkaConnectionError | ConnectionError):
        return f"no broker answers at KAFKA_BOOTSTRAP_SERVERS={operator_kafka().bootstrap_servers}"
    return f"{error}" if isinstance(error, LookupError) else f"cannot read it: {error}"


def _gateway() -> tuple[ModuleType, ModuleType]:
    # The chain's rules live with the gateway; the shared library must not import a service
    # statically, so the CLI loads them when asked (in the workspace, where both are installed).
    try:
        chain = importlib.import_module("gateway.domain.audit")
        log = importlib.import_module("gateway.adapters.audit_log")
    except ModuleNotFoundError as error:
        _fail(
            f"the gateway package is not installed here ({error})",
            "run it in the Fengqiao workspace: `uv run fengqiao audit verify`",
        )
    # The command says itself when the broker is away; aiokafka's own errors would only repeat it.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    return chain, log


async def _archived(log: ModuleType, database: str, uri: str) -> list[dict[str, Any]]:
    client = connect(uri)
    try:
        records: list[dict[str, Any]] = await log.archived_records(client[database])
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
    return records


def _fail(message: str, remedy: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    errors.print(f"[yellow]what to do:[/] {escape(remedy)}", soft_wrap=True)
    raise typer.Exit(1)
