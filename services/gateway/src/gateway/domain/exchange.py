"""The exchange's judgement of one event (pure): deliver it, minimised, or refuse it and say why.

The router and the HTTP edge both ask this one function, so an event gets the same answer
whichever way it came in. Decoding (attributes, schema, JSON) happens before, in
``fengqiao.contracts.envelope``; its ContractError reasons are the other refusal codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fengqiao.contracts.envelope import ContractError, Envelope, parse_data
from fengqiao.security.signing import BadSignature, verify
from gateway.domain.registry import Agency, Registry

KeyOf = Callable[[Agency], Ed25519PublicKey | None]


class Refusal(StrEnum):
    """Reason codes of the exchange's own checks (beside the contract's and the registry's)."""

    TOO_LARGE = "too_large"
    SOURCE_MISMATCH = "source_mismatch"
    NO_KEY = "no_public_key"
    BAD_SIGNATURE = "bad_signature"
    MISSING_RECIPIENT = "missing_recipient"
    MINIMISED_INVALID = "minimised_invalid"
    GATEWAY_ERROR = "gateway_error"


@dataclass(frozen=True)
class Deliver:
    recipient: Agency
    envelope: Envelope  # as the recipient may see it


@dataclass(frozen=True)
class Refuse:
    code: str
    reason: str


def agency_source(agency: str) -> str:
    """The CloudEvents source of an agency's events."""
    return f"/agencies/{agency}"


def judge(
    envelope: Envelope, *, sender: str, size: int, limit: int, registry: Registry, key_of: KeyOf
) -> Deliver | Refuse:
    """Judge an event ``sender`` sent (the agency whose topic or token it came with)."""
    if size > limit:
        return Refuse(Refusal.TOO_LARGE, f"the data is {size} bytes, the limit is {limit}")
    if envelope.source != agency_source(sender):
        return Refuse(
            Refusal.SOURCE_MISMATCH,
            f"source {envelope.source!r} is not {agency_source(sender)!r}, the sending agency",
        )
    if envelope.recipient is None:
        return Refuse(Refusal.MISSING_RECIPIENT, "the recipient extension is not set")
    refusal = registry.check(sender, envelope.type, envelope.recipient)
    if refusal is not None:
        return Refuse(*refusal)
    source, recipient = registry.get(sender), registry.get(envelope.recipient)
    assert source is not None and recipient is not None  # check() found both
    try:
        key = key_of(source)
    except ValueError as error:  # an unusable key in the store: the sender must re-enrol
        return Refuse(Refusal.NO_KEY, f"agency {sender}'s enrolled key is unusable: {error}")
    if key is None:
        return Refuse(Refusal.NO_KEY, f"agency {sender} has enrolled no public key")
    try:
        verify(envelope, key)
    except BadSignature as error:
        return Refuse(Refusal.BAD_SIGNATURE, str(error))
    data = recipient.minimise(envelope.type, envelope.data)
    if data != envelope.data:
        try:
            parse_data(envelope.type, data)
        except ContractError as error:
            # The registry hides a field the type requires: its profile is wrong, not the event.
            return Refuse(
                Refusal.MINIMISED_INVALID, f"{recipient.id}'s visible fields: {error.detail}"
            )
    return Deliver(recipient, envelope.model_copy(update={"data": data}))
