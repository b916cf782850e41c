"""The agency registry (after X-Road's member catalogue): who an agency is, which event types it
may send to which kinds of agency, what it may receive, how it takes delivery, and which fields
of each event type it may see (data minimisation). Loaded by loading.py."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from fengqiao.contracts.codes import AgencyKind, Level
from fengqiao.security.signing import public_key_from_text

AGENCY_ID = r"^[a-z][a-z0-9_-]{1,62}$"


class Delivery(StrEnum):
    KAFKA = "kafka"
    WEBHOOK = "webhook"
    PULL = "pull"


class SendRight(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(description="an event type, or a prefix ending in '*' (e.g. 'case.*')")
    to: list[AgencyKind] = Field(min_length=1)


def _covers(pattern: str, event_type: str) -> bool:
    return event_type.startswith(pattern[:-1]) if pattern.endswith("*") else pattern == event_type


class Agency(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=AGENCY_ID)
    name_zh: str
    name_en: str
    kind: AgencyKind
    level: Level
    jurisdiction: list[str] = Field(default_factory=list, description="administrative codes")
    public_key: str | None = Field(default=None, description="Ed25519, raw, base64url")
    sends: list[SendRight] = Field(default_factory=list)
    receives: list[str] = Field(default_factory=list, description="event types or prefixes*")
    delivery: Delivery = Delivery.KAFKA
    webhook_url: HttpUrl | None = None
    visible_fields: dict[str, list[str]] = Field(
        default_factory=dict,
        description="event type → the data fields this agency may see; absent: all fields",
    )
    disabled: bool = False

    @field_validator("public_key")
    @classmethod
    def _a_real_key(cls, value: str | None) -> str | None:
        if value is not None:
            public_key_from_text(value)  # ValueError names what is wrong with it
        return value

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> Agency:
        if self.delivery is Delivery.WEBHOOK and self.webhook_url is None:
            raise ValueError(f"agency {self.id}: webhook delivery needs a webhook_url")
        return self

    def may_send(self, event_type: str, to: AgencyKind) -> bool:
        return any(_covers(r.type, event_type) and to in r.to for r in self.sends)

    def may_receive(self, event_type: str) -> bool:
        return any(_covers(pattern, event_type) for pattern in self.receives)

    def minimise(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        """The data with only the fields this agency may see of this event type.

        A field is named by its path: ``title``, or ``parties.name`` for a field inside each
        item of a list (or inside an object); naming a field whole keeps all of it.
        """
        allowed = self.visible_fields.get(event_type)
        return dict(data) if allowed is None else _keep(data, _tree(allowed))


Tree = dict[str, "Tree | None"]


def _tree(paths: list[str]) -> Tree:
    tree: Tree = {}
    for path in paths:
        head, _, rest = path.partition(".")
        if not rest:
            tree[head] = None  # the whole field
        else:
            sub = tree.setdefault(head, {})
            if sub is not None:
                sub.update(_tree([rest]))
    return tree


def _keep(value: Any, tree: Tree) -> Any:
    if isinstance(value, list):
        return [_keep(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        k: v if tree[k] is None else _keep(v, tree[k])  # type: ignore[arg-type]
        for k, v in value.items()
        if k in tree
    }


class Refusal(StrEnum):
    UNKNOWN_SENDER = "unknown_sender"
    UNKNOWN_RECIPIENT = "unknown_recipient"
    DISABLED = "agency_disabled"
    NOT_ALLOWED_TO_SEND = "not_allowed_to_send"
    NOT_ALLOWED_TO_RECEIVE = "not_allowed_to_receive"


class Registry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    agencies: list[Agency]

    @model_validator(mode="after")
    def _unique_ids(self) -> Registry:
        ids = [a.id for a in self.agencies]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"agency ids listed twice: {', '.join(twice)}")
        return self

    def get(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def check(self, sender: str, event_type: str, recipient: str) -> tuple[Refusal, str] | None:
        """None if ``sender`` may send ``event_type`` to ``recipient``; else why not."""
        source, target = self.get(sender), self.get(recipient)
        if source is None:
            return Refusal.UNKNOWN_SENDER, f"no agency {sender} in the registry"
        if target is None:
            return Refusal.UNKNOWN_RECIPIENT, f"no agency {recipient} in the registry"
        for agency in (source, target):
            if agency.disabled:
                return Refusal.DISABLED, f"agency {agency.id} is disabled"
        if not source.may_send(event_type, target.kind):
            return Refusal.NOT_ALLOWED_TO_SEND, (
                f"{sender} may not send {event_type} to a {target.kind.value}"
            )
        if not target.may_receive(event_type):
            return Refusal.NOT_ALLOWED_TO_RECEIVE, f"{recipient} does not receive {event_type}"
        return None


def parse_registry(data: Any) -> Registry:
    return Registry.model_validate(data)
