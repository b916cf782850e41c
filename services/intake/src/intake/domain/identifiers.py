"""Case ids that sort by registration time, and tracking codes a citizen can type."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

# Crockford's alphabet: no I, L, O, U, so a code read over the phone is not misheard.
_STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_case_id(at: datetime) -> str:
    """48 bits of milliseconds then 32 random bits, as hex: newest-first is reverse id order."""
    return f"{int(at.timestamp() * 1000):012x}{secrets.token_hex(4)}"


def reported_case_id(at: datetime, source: str, external_ref: str) -> str:
    """The id a force's report gets: time-ordered, and the same for every redelivery."""
    digest = hashlib.sha256(f"{source}\n{external_ref}".encode()).hexdigest()
    return f"{int(at.timestamp() * 1000):012x}{digest[:8]}"


def tracking_code(case_id: str, key: bytes) -> str:
    """``FQ`` + 10 characters keyed on the case id: unguessable without the hub's key."""
    digest = hmac.new(key, case_id.encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()[:10]
    return "FQ" + text.translate(str.maketrans(_STANDARD, _CROCKFORD))
