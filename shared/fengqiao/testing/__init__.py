"""Test fixtures that give tests a real Kafka and a real MongoDB-protocol server."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING

from fengqiao.security import issue_token, service_secret
from fengqiao.testing.waiting import quiet_for, until

if TYPE_CHECKING:
    import pytest

    from fengqiao.settings import KafkaSettings


__all__ = ["free_port", "point_at_servers", "quiet_for", "staff_headers", "until"]


def free_port() -> int:
    """A TCP port nothing listens on now (for services a test starts on ports of its own)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def staff_headers(
    service: str, *, agency: str, roles: Iterable[str], name: str, subject: str | None = None
) -> dict[str, str]:
    """The Authorization header of a staff member of ``agency``, signed with ``service``'s key
    (as `fengqiao token issue` makes it)."""
    token = issue_token(
        secret=service_secret(service, "token-key"),
        agency=agency,
        subject=subject or f"staff-{name}",
        name=name,
        roles=roles,
    )
    return {"Authorization": f"Bearer {token}"}


def point_at_servers(
    monkeypatch: pytest.MonkeyPatch, kafka: KafkaSettings, mongodb_uri: str | None = None
) -> None:
    """Make services built in this process (they read ``KAFKA_*`` and ``MONGODB_URI``) use
    the test's broker, as the test's identity, and its document store."""
    for name, value in kafka.as_env().items():
        monkeypatch.setenv(name, value)
    if mongodb_uri is not None:
        monkeypatch.setenv("MONGODB_URI", mongodb_uri)
