"""Ed25519 signatures on CloudEvents: every agency signs what it sends, the gateway checks it.

The signature covers every attribute but itself, and the data, in one canonical JSON form
(sorted keys, no spaces, UTF-8), so it survives the Kafka binary encoding and the HTTP JSON
one alike. It travels as the ``signature`` extension: ``ed25519:<base64url>``.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from fengqiao.contracts.envelope import Envelope
from fengqiao.security.encoding import b64_bytes, b64_text
from fengqiao.security.secrets import service_secret

SCHEME = "ed25519:"


class BadSignature(ValueError):
    """The envelope is unsigned, or its signature does not match the key."""


def canonical_bytes(envelope: Envelope) -> bytes:
    attributes: dict[str, Any] = envelope.model_dump(mode="json", exclude={"signature"})
    return json.dumps(
        attributes, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def sign(envelope: Envelope, key: Ed25519PrivateKey) -> Envelope:
    signature = key.sign(canonical_bytes(envelope))
    return envelope.model_copy(update={"signature": SCHEME + b64_text(signature)})


def verify(envelope: Envelope, key: Ed25519PublicKey) -> None:
    if not envelope.signature or not envelope.signature.startswith(SCHEME):
        raise BadSignature(f"event {envelope.id} carries no {SCHEME} signature")
    encoded = envelope.signature[len(SCHEME) :]
    try:
        signature = b64_bytes(encoded)
        key.verify(signature, canonical_bytes(envelope))
    except (InvalidSignature, ValueError):
        raise BadSignature(f"the signature of event {envelope.id} does not match") from None


def agency_signing_key(service: str) -> Ed25519PrivateKey:
    """The signing key of the agency ``service`` runs, from ``FENGQIAO_<SERVICE>_SIGNING_KEY``
    (32 bytes) or the local key file."""
    return Ed25519PrivateKey.from_private_bytes(service_secret(service, "signing-key"))


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw public key, base64url: what an agency registry entry publishes."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return b64_text(raw)


def public_key_from_text(text: str) -> Ed25519PublicKey:
    try:
        raw = b64_bytes(text)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as error:
        raise ValueError(f"not an Ed25519 public key: {error}") from None
