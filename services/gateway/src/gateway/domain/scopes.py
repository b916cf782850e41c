"""What an agency's token lets it do on the HTTP edge, derived from its registry entry.

Nothing about scopes is stored: the registry entry decides, so a change to the entry (a new
delivery mode, a right taken away) changes what the agency's next token, and its current one,
may do.
"""

from __future__ import annotations

import re

from gateway.domain.registry import Agency, Delivery

EVENTS_WRITE = "events:write"
EVENTS_READ = "events:read"
KNOWN = frozenset({EVENTS_WRITE, EVENTS_READ})

# RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
_SCOPE_TOKEN = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")


class ScopeNotAllowed(ValueError):
    """A requested scope is malformed, unknown, or not one the agency may hold."""


def scopes_of(agency: Agency) -> frozenset[str]:
    """Every scope the agency may hold now; none while it is disabled."""
    if agency.disabled:
        return frozenset()
    held: set[str] = set()
    if agency.sends:
        held.add(EVENTS_WRITE)
    if agency.delivery is Delivery.PULL:
        held.add(EVENTS_READ)
    return frozenset(held)


def parse_scope(text: str) -> frozenset[str]:
    """The scopes of an RFC 6749 ``scope`` parameter (space-separated, order irrelevant)."""
    tokens = text.split(" ")
    bad = [t for t in tokens if not _SCOPE_TOKEN.fullmatch(t)]
    if bad:
        raise ScopeNotAllowed(f"malformed scope {text!r}: scopes are separated by one space")
    return frozenset(tokens)


def format_scope(scopes: frozenset[str]) -> str:
    return " ".join(sorted(scopes))


def granted(agency: Agency, requested: str | None) -> frozenset[str]:
    """The scopes to put in a token: all the agency holds, or the ``requested`` subset of them.

    Asking for more than the agency holds is refused rather than silently narrowed, so a
    misconfigured client learns at once instead of at its first 403.
    """
    held = scopes_of(agency)
    wanted = held if requested is None else parse_scope(requested)
    unknown = wanted - KNOWN
    if unknown:
        raise ScopeNotAllowed(f"unknown scope {format_scope(unknown)}")
    beyond = wanted - held
    if beyond:
        raise ScopeNotAllowed(f"agency {agency.id} may not hold {format_scope(beyond)}")
    if not wanted:
        raise ScopeNotAllowed(f"agency {agency.id} holds no scope on the HTTP edge")
    return wanted
