"""Binary values as text in tokens, headers and registry entries: URL-safe base64."""

from __future__ import annotations

import base64


def b64_text(raw: bytes) -> str:
    """URL-safe base64 without padding (safe in headers, URLs and YAML)."""
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def b64_bytes(text: str) -> bytes:
    """Decode URL-safe base64 with or without padding; ValueError if it is not base64."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
