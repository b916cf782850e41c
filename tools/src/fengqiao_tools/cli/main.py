"""`fengqiao`: run the platform locally, inspect it, and work with its contracts and DLQ."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from fengqiao_tools.cli import (
    agency_cmd,
    audit_cmd,
    bench_cmd,
    contracts_cmd,
    demo_cmd,
    dlq_cmd,
    infra_cmd,
    kafka_cmd,
    keys_cmd,
    platform_cmd,
    token_cmd,
)
from fengqiao_tools.infra.errors import InfraError

# aiokafka logs a broker's transient answers (e.g. a topic being created) at ERROR; the CLI
# reports what matters itself.
logging.getLogger("aiokafka").setLevel(logging.CRITICAL)

app = typer.Typer(
    help="Fengqiao (枫桥): the 1+6+N grassroots social-governance platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Show an InfraError as its message and remedy, not as a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InfraError as error:
            console.print(f"[bold red]error:[/] {error.problem}")
            if error.remedy:
                console.print(f"[yellow]what to do:[/] {error.remedy}")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


infra_cmd.register(app, friendly)
platform_cmd.register(app, friendly)
bench_cmd.register(app, friendly)
demo_cmd.register(app)
app.add_typer(contracts_cmd.app, name="contracts")
app.add_typer(dlq_cmd.app, name="dlq")
app.add_typer(token_cmd.app, name="token")
app.add_typer(agency_cmd.app, name="agency")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(kafka_cmd.app, name="kafka")
app.add_typer(keys_cmd.app, name="keys")
