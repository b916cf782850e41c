"""Agencies' client secrets and webhook secrets, derived from the gateway's own keys.

Nothing secret is stored: a client secret is HMAC(client key, agency id + generation), so the
gateway recomputes it to check one, and rotating (a new generation) revokes the old one.
"""

from __future__ import annotations

import hashlib
import hmac

from fengqiao.security import service_secret
from fengqiao.security.encoding import b64_text

SERVICE = "gateway"


def _derive(purpose: str, message: str) -> str:
    key = service_secret(SERVICE, purpose)
    return b64_text(hmac.new(key, message.encode(), hashlib.sha256).digest())


def client_secret(agency: str, generation: int) -> str:
    """The OAuth2 client secret of ``agency`` at credential ``generation``."""
    return _derive("client-key", f"{agency}\n{generation}")


def client_secret_matches(agency: str, generation: int, offered: str) -> bool:
    return hmac.compare_digest(client_secret(agency, generation), offered)


def webhook_secret(agency: str) -> bytes:
    """The key the gateway signs webhook bodies for ``agency`` with (HMAC-SHA256)."""
    return _derive("webhook-key", agency).encode()


def webhook_signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``<timestamp>.<body>``: a receiver checks it and the timestamp."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def open311_key(app: str) -> str:
    """The Open311 ``api_key`` of a citizen app: ``<app>.<secret>``, checkable without storage."""
    return f"{app}.{_derive('open311-key', app)}"


def open311_app(api_key: str) -> str | None:
    """The app an Open311 ``api_key`` belongs to; None if the key is not one the gateway made."""
    app, _, _ = api_key.partition(".")
    return app if app and hmac.compare_digest(open311_key(app), api_key) else None
