"""The registry of event types: one versioned, frozen pydantic model per CloudEvents ``type``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict


class EventData(BaseModel):
    """Base of every event payload: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    event_type: ClassVar[str] = ""


M = TypeVar("M", bound=type[EventData])
_VERSION = re.compile(r"v[0-9]+")


class EventRegistry:
    def __init__(self) -> None:
        self._models: dict[str, type[EventData]] = {}

    def register(self, type_: str) -> Callable[[M], M]:
        """Class decorator: ``@event_type("case.reported.v1")``."""

        def decorate(model: M) -> M:
            if type_ in self._models:
                raise ValueError(f"event type {type_} registered twice")
            if not _VERSION.fullmatch(type_.rsplit(".", 1)[-1]):
                raise ValueError(f"event type {type_} must end with its version, e.g. '.v1'")
            model.event_type = type_
            self._models[type_] = model
            return model

        return decorate

    def model_for(self, type_: str) -> type[EventData] | None:
        return self._models.get(type_)

    def types(self) -> list[str]:
        return sorted(self._models)

    def json_schema(self, type_: str) -> dict[str, Any]:
        model = self._models[type_]
        return model.model_json_schema()


REGISTRY = EventRegistry()
event_type = REGISTRY.register
