"""`fengqiao-serve <service>`: run one service in the foreground. This is what the images run and
what `fengqiao up` starts; it needs nothing of the developer tools."""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from pydantic import ValidationError

from fengqiao.catalog import spec_of
from fengqiao.messaging.access import refused_identity
from fengqiao.settings import InfraSettings, service_settings


def serve(service: str) -> None:
    """Check the settings and the broker identity, then serve; a refusal exits with one line."""
    spec = spec_of(service)
    try:
        settings = service_settings(spec.name, port=spec.port)
        infra = InfraSettings()
    except ValidationError as error:
        # One line naming the setting, not a traceback: the operator has a variable to fix.
        raise SystemExit(f"{spec.name}: {first_problem(error)}") from None
    refused = asyncio.run(refused_identity(infra.kafka))
    if refused:
        raise SystemExit(f"{spec.name}: {refused}")
    # The app is named by its import string, so the library never imports a service itself.
    uvicorn.run(
        f"{spec.package}.main:app",
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )


def first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {message}" if where else message


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        raise SystemExit("usage: fengqiao-serve <service>   (gateway, intake, grid, court, ...)")
    try:
        serve(args[0])
    except KeyError as error:
        raise SystemExit(f"fengqiao-serve: {error.args[0]}") from None


if __name__ == "__main__":
    main()
