"""Test fixtures that give tests a real Kafka and a real MongoDB-protocol server."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port nothing listens on now (for services a test starts on ports of its own)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
