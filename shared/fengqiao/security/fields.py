"""Sealed fields: personal data stored encrypted and bound to the record it belongs to."""

from __future__ import annotations

import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fengqiao.security.encoding import b64_bytes, b64_text

PREFIX = "v1."
NONCE_BYTES = 12
TAG_BYTES = 16


class SealBroken(ValueError):
    """A sealed value was altered, is for another context, needs another key, or is not one."""


class FieldCipher:
    """AES-256-GCM over JSON; ``context`` (e.g. a case id) is authenticated, not stored."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError(f"a field key has 32 bytes, not {len(key)}")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "FieldCipher(<key hidden>)"

    def seal(self, value: dict[str, Any], *, context: str) -> str:
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        # Random nonces are safe for far more seals than one key will see (2**32 per NIST).
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain, context.encode())
        return PREFIX + b64_text(nonce + sealed)

    def open(self, token: str, *, context: str) -> dict[str, Any]:
        if not token.startswith(PREFIX):
            raise SealBroken("not a sealed value (expected the 'v1.' prefix)")
        body = token[len(PREFIX) :]
        try:
            raw = b64_bytes(body)
        except (binascii.Error, ValueError):
            raise SealBroken("sealed value is not valid base64") from None
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise SealBroken("sealed value is truncated")
        try:
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag:
            # GCM cannot tell these apart, and saying which would help an attacker anyway.
            raise SealBroken("sealed value was altered, or the key or context is wrong") from None
        value = json.loads(plain)
        if not isinstance(value, dict):
            raise SealBroken("sealed value does not hold an object")
        return value
