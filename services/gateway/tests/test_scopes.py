"""Which scopes an agency's token may carry follows from its registry entry, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.domain.registry import Agency
from gateway.domain.scopes import (
    EVENTS_READ,
    EVENTS_WRITE,
    ScopeNotAllowed,
    format_scope,
    granted,
    parse_scope,
    scopes_of,
)

SENDS = [{"type": "case.*", "to": ["hub"]}]


def agency(**extra: Any) -> Agency:
    return Agency.model_validate(
        {
            "id": "dept-x",
            "name_zh": "部门",
            "name_en": "dept",
            "kind": "department",
            "level": "county",
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"sends": SENDS, "delivery": "pull"}, {EVENTS_WRITE, EVENTS_READ}),
        ({"sends": SENDS}, {EVENTS_WRITE}),  # Kafka delivery: it reads its topic itself
        ({"delivery": "pull"}, {EVENTS_READ}),
        (
            {"sends": SENDS, "delivery": "webhook", "webhook_url": "https://x.example/h"},
            {EVENTS_WRITE},
        ),
        ({}, set()),
        ({"sends": SENDS, "delivery": "pull", "disabled": True}, set()),
    ],
)
def test_scopes_follow_the_registry_entry(entry: dict[str, Any], expected: set[str]) -> None:
    assert scopes_of(agency(**entry)) == expected


def test_a_token_gets_every_scope_held_unless_the_client_narrows_it() -> None:
    both = agency(sends=SENDS, delivery="pull")
    assert granted(both, None) == {EVENTS_WRITE, EVENTS_READ}
    assert granted(both, "events:read") == {EVENTS_READ}
    assert granted(both, "events:read events:write") == {EVENTS_WRITE, EVENTS_READ}


@pytest.mark.parametrize(
    ("entry", "requested", "message"),
    [
        ({"sends": SENDS}, "events:read", "may not hold events:read"),
        ({"sends": SENDS}, "admin", "unknown scope admin"),
        ({"sends": SENDS}, "events:write  events:read", "malformed"),
        ({"sends": SENDS}, 'events:"write', "malformed"),
        ({}, None, "holds no scope"),
        ({"sends": SENDS, "disabled": True}, None, "holds no scope"),
        ({"sends": SENDS, "disabled": True}, "events:write", "may not hold events:write"),
    ],
)
def test_asking_for_more_than_is_held_is_refused(
    entry: dict[str, Any], requested: str | None, message: str
) -> None:
    with pytest.raises(ScopeNotAllowed, match=message):
        granted(agency(**entry), requested)


def test_scope_text_round_trips_in_a_stable_order() -> None:
    assert format_scope(parse_scope("events:write events:read")) == "events:read events:write"
    assert parse_scope("events:read") == {EVENTS_READ}
