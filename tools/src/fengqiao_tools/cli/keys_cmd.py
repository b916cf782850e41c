"""`fengqiao keys init`: every key a service needs, made once in ``$FENGQIAO_HOME/secrets``
(a volume shared by a compose stack's containers, or one machine's key directory)."""

from __future__ import annotations

import typer
from rich.console import Console

from fengqiao.catalog import SERVICES, spec_of
from fengqiao.contracts.rights import ADMIN
from fengqiao.security import WeakSecret, clear_secret_cache, service_secret
from fengqiao_tools.infra import credentials
from fengqiao_tools.infra.config import InfraConfig

app = typer.Typer(help="The services' keys and Kafka passwords.", no_args_is_help=True)
console = Console()


@app.command()
def init(
    services: list[str] = typer.Argument(None, help="default: every service"),
) -> None:
    """Make each service's keys and Kafka password (and the broker's super user's) where they
    are missing; existing ones are kept. A key set in the environment is checked instead."""
    cfg = InfraConfig()
    specs = [spec_of(name) for name in services] if services else list(SERVICES)
    clear_secret_cache()
    made = 0
    for spec in specs:
        for purpose in spec.keys:
            try:
                service_secret(spec.name, purpose)
            except WeakSecret as error:
                console.print(f"[red]{spec.name} {purpose}:[/] {error}")
                raise typer.Exit(1) from None
            made += 1
        credentials.password(cfg, spec.name)
    credentials.password(cfg, ADMIN)
    console.print(
        f"{made} keys and {len(specs) + 1} Kafka passwords in place in {cfg.home / 'secrets'} "
        f"for {', '.join(s.name for s in specs)}"
    )
