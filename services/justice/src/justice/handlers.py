"""Command and event handlers of the justice service, wired by type in the tables below."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Handler = Callable[..., Awaitable[Any]]

COMMAND_HANDLERS: dict[type, Handler] = {}
EVENT_HANDLERS: dict[str, Handler] = {}
