"""Command handlers of the police service (async functions), wired by command type below."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Handler = Callable[..., Awaitable[Any]]

COMMAND_HANDLERS: dict[type, Handler] = {}
