"""Every event an agency sends can be signed and checked; any change breaks the signature."""

from __future__ import annotations

import base64
import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.contracts.envelope import from_record, to_record
from fengqiao.security import clear_secret_cache
from fengqiao.security.signing import (
    BadSignature,
    agency_signing_key,
    public_key_from_text,
    public_key_text,
    sign,
    verify,
)
from support import reported

KEY = Ed25519PrivateKey.generate()


def test_a_signed_event_verifies_after_the_kafka_encoding_round_trip() -> None:
    signed = sign(reported("case-1"), KEY)
    record = to_record(signed)
    received = from_record(record.value, record.headers)
    verify(received, public_key_from_text(public_key_text(KEY)))
    assert received.signature is not None and received.signature.startswith("ed25519:")


@pytest.mark.parametrize(
    "change",
    [
        {"data": {**reported("case-1").data, "title": "改过的标题"}},
        {"recipient": "court"},
        {"subject": "case-2"},
        {"source": "/agencies/police"},
    ],
)
def test_any_change_to_data_or_attributes_breaks_the_signature(change: dict[str, object]) -> None:
    signed = sign(reported("case-1"), KEY)
    with pytest.raises(BadSignature):
        verify(signed.model_copy(update=change), KEY.public_key())


def test_an_unsigned_event_or_another_agencys_key_is_refused() -> None:
    event = reported("case-1")
    with pytest.raises(BadSignature, match="no ed25519"):
        verify(event, KEY.public_key())
    with pytest.raises(BadSignature, match="does not match"):
        verify(sign(event, Ed25519PrivateKey.generate()), KEY.public_key())
    with pytest.raises(BadSignature):
        verify(event.model_copy(update={"signature": "ed25519:!!!"}), KEY.public_key())


def test_an_agency_key_comes_from_its_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    monkeypatch.setenv("FENGQIAO_GRID_SIGNING_KEY", secret)
    clear_secret_cache()
    first, again = agency_signing_key("grid"), agency_signing_key("grid")
    assert public_key_text(first) == public_key_text(again)
    verify(sign(reported("case-1"), first), public_key_from_text(public_key_text(again)))
    with pytest.raises(ValueError, match="Ed25519"):
        public_key_from_text("c2hvcnQ")
    clear_secret_cache()
