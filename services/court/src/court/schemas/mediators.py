"""The view of a mediator on the court's roster (调解员名册)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from court.domain.mediators import Mediator, MediatorRole


class MediatorRead(BaseModel):
    """调解员 on the roster, with their load: open mediations against their capacity."""

    id: str
    name: str
    role: MediatorRole
    label: str = Field(description="role and name, as the hub is told")
    active: bool
    open_cases: int
    capacity: int
    has_room: bool


def mediator_read(mediator: Mediator) -> MediatorRead:
    return MediatorRead(
        **mediator.model_dump(include={"id", "name", "role", "active", "open_cases", "capacity"}),
        label=mediator.label,
        has_room=mediator.has_room,
    )
