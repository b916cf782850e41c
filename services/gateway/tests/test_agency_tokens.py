"""Agency tokens: what the gateway issues it accepts; anything else is refused with a reason."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from fengqiao.security import InvalidToken
from gateway.adapters.agency_tokens import AUDIENCE, ISSUER, issue_agency_token, verify_agency_token

KEY = secrets.token_bytes(32)
BOTH = frozenset({"events:write", "events:read"})


def token(**changes: Any) -> str:
    arguments: dict[str, Any] = {
        "agency": "dept-x",
        "scopes": BOTH,
        "generation": 3,
        "ttl": timedelta(minutes=5),
    }
    return issue_agency_token(secret=KEY, **{**arguments, **changes})


def forged(claims: dict[str, Any], *, key: Any = KEY, algorithm: str = "HS256") -> str:
    now = datetime.now(UTC)
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "dept-x",
        "scope": "events:write",
        "gen": 1,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    return jwt.encode({**base, **claims}, key, algorithm=algorithm)


def test_an_issued_token_names_the_agency_its_scopes_and_generation() -> None:
    claims = verify_agency_token(token(), secret=KEY)
    assert (claims.agency, claims.scopes, claims.generation) == ("dept-x", BOTH, 3)
    raw = jwt.decode(token(), KEY, algorithms=["HS256"], audience=AUDIENCE)
    assert raw["scope"] == "events:read events:write"
    assert raw["exp"] - raw["iat"] == 300


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (lambda: token()[:-3] + "abc", "signature is not valid"),
        (lambda: forged({}, key=secrets.token_bytes(32)), "signature is not valid"),
        # Pinned algorithm: neither another HMAC nor an unsigned token is accepted.
        (lambda: forged({}, key=KEY * 2, algorithm="HS512"), "alg value is not allowed"),
        (lambda: forged({}, key=None, algorithm="none"), "alg value is not allowed"),
        (lambda: forged({"exp": datetime.now(UTC) - timedelta(minutes=2)}), "expired"),
        (lambda: forged({"aud": "fengqiao-intake"}), "not for fengqiao-exchange"),
        (lambda: forged({"iss": "fengqiao-intake"}), "not issued by fengqiao-gateway"),
        (lambda: forged({"gen": None}), "'gen' claim"),
        (lambda: forged({"gen": "1"}), "'gen' claim is not an integer"),
        (lambda: forged({"gen": True}), "'gen' claim is not an integer"),
        (lambda: forged({"scope": ["events:write"]}), "'scope' claim is not a string"),
        (lambda: forged({"sub": ""}), "not an agency id"),
        (lambda: "not.a.token", "malformed"),
    ],
)
def test_tokens_the_gateway_did_not_issue_are_refused(bad: Any, reason: str) -> None:
    with pytest.raises(InvalidToken, match=reason):
        verify_agency_token(bad(), secret=KEY)


def test_a_token_without_scopes_or_lifetime_is_not_issued() -> None:
    with pytest.raises(ValueError, match="without scopes"):
        token(scopes=frozenset())
    with pytest.raises(ValueError, match="lifetime"):
        token(ttl=timedelta(0))
