"""Staff bearer tokens: HS256 JWTs that one agency's service issues and accepts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

LEEWAY = timedelta(seconds=30)
_REQUIRED = ["iss", "aud", "sub", "iat", "exp", "name", "roles"]


class InvalidToken(ValueError):
    """A bearer token that must not be accepted; the message says why, briefly."""


@dataclass(frozen=True)
class Caller:
    """The staff member a request comes from."""

    subject: str
    name: str
    roles: frozenset[str]
    agency: str

    def has_any(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


def _issuer(agency: str) -> str:
    return f"fengqiao-{agency}"


def issue_token(
    *,
    secret: bytes,
    agency: str,
    subject: str,
    name: str,
    roles: Iterable[str],
    ttl: timedelta = timedelta(hours=12),
) -> str:
    if ttl <= timedelta(0):
        raise ValueError("a token's lifetime must be positive")
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": _issuer(agency),
        "aud": agency,
        "sub": subject,
        "name": name,
        "roles": sorted(set(roles)),
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_claims(
    token: str, *, secret: bytes, audience: str, issuer: str, required: list[str]
) -> dict[str, Any]:
    """The claims of an HS256 token this platform issued; InvalidToken says briefly why not.
    ``audience`` and ``issuer`` name who the token is for and who made it, in the messages."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            # Pinned: the algorithm named in the token's header must not choose how it is checked.
            algorithms=["HS256"],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY,
            options={"require": required},
        )
        return claims
    except jwt.ExpiredSignatureError:
        raise InvalidToken("token has expired") from None
    except jwt.InvalidSignatureError:
        raise InvalidToken("token signature is not valid") from None
    except jwt.InvalidAudienceError:
        raise InvalidToken(f"token is not for {audience}") from None
    except jwt.InvalidIssuerError:
        raise InvalidToken(f"token was not issued by {issuer}") from None
    except jwt.MissingRequiredClaimError as error:
        raise InvalidToken(f"token lacks the {error.claim!r} claim") from None
    except jwt.ImmatureSignatureError:
        raise InvalidToken("token is not valid yet") from None
    except jwt.DecodeError:
        raise InvalidToken("token is malformed") from None
    except jwt.InvalidTokenError as error:
        raise InvalidToken(f"token is not valid: {error}") from None


def verify_token(token: str, *, secret: bytes, agency: str) -> Caller:
    claims = decode_claims(
        token, secret=secret, audience=agency, issuer=_issuer(agency), required=_REQUIRED
    )
    name, roles = claims["name"], claims["roles"]
    if not isinstance(name, str):
        raise InvalidToken("token's 'name' claim is not a string")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise InvalidToken("token's 'roles' claim is not a list of strings")
    return Caller(subject=claims["sub"], name=name, roles=frozenset(roles), agency=agency)
