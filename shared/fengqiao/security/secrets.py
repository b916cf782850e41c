"""Per-service keys: from the environment in deployment, from a local key file in development."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from fengqiao.settings import fengqiao_home

KEY_BYTES = 32
HOW_TO_MAKE = (
    'python -c "import secrets,base64;'
    'print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"'
)
# Values people paste from examples; named in the error so nobody thinks "too short" is the fix.
PLACEHOLDERS = frozenset(
    {"changeme", "change-me", "secret", "dev", "test", "password", "example", "xxx", "todo"}
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class WeakSecret(ValueError):
    """A configured key is missing, malformed, a placeholder or too short."""


def service_secret(service: str, purpose: str) -> bytes:
    """The 32-byte key of ``service`` for ``purpose``, e.g. ``("intake", "token-key")``."""
    return _cached(service, purpose)


def clear_secret_cache() -> None:
    """Forget cached keys (tests change the environment between cases)."""
    _cached.cache_clear()


@functools.cache
def _cached(service: str, purpose: str) -> bytes:
    for part in (service, purpose):
        # Both end up in a file name: refuse anything that could leave the secrets directory.
        if not _NAME.fullmatch(part):
            raise ValueError(f"invalid key name part {part!r}: use letters, digits, '-' and '_'")
    variable = f"FENGQIAO_{service}_{purpose}".upper().replace("-", "_")
    value = os.environ.get(variable)
    if value is not None:
        return _decode(value, source=f"environment variable {variable}")
    path = fengqiao_home() / "secrets" / f"{service}-{purpose}.key"
    return _decode(read_or_create(path), source=f"key file {path}")


def _decode(value: str, *, source: str) -> bytes:
    text = value.strip()
    remedy = f"set it to the output of: {HOW_TO_MAKE}"
    if not text:
        raise WeakSecret(f"{source} is empty; {remedy}")
    if text.lower() in PLACEHOLDERS:
        raise WeakSecret(f"{source} holds the placeholder {text!r}, not a key; {remedy}")
    # Accept both alphabets and missing padding: people paste keys from many tools.
    normalised = text.replace("-", "+").replace("_", "/")
    normalised += "=" * (-len(normalised) % 4)
    try:
        key = base64.b64decode(normalised, validate=True)
    except (binascii.Error, ValueError):
        raise WeakSecret(f"{source} is not base64; {remedy}") from None
    if len(key) < KEY_BYTES:
        raise WeakSecret(
            f"{source} decodes to {len(key)} bytes, at least {KEY_BYTES} are needed; {remedy}"
        )
    # A longer key keeps all its entropy, compressed to the size AES-256 and HS256 use.
    return key if len(key) == KEY_BYTES else hashlib.sha256(key).digest()


def read_or_create(path: Path) -> str:
    """The text of key file ``path``, made once (32 random bytes, base64url) if missing."""
    try:
        return path.read_text(encoding="ascii")
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fresh = base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode() + "\n"
    # mkstemp creates the file 0600; os.link publishes it whole and fails if a racing process
    # got there first (os.replace would overwrite the key the winner already uses).
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(fresh)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            return path.read_text(encoding="ascii")
    finally:
        os.unlink(temp)
    return fresh
