"""公开听证: the bodies to schedule, move and record a hearing, and what a read shows."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from procuratorate.domain.hearing import Hearing, Participant
from procuratorate.schemas.common import Body, Text


class HearingIn(Body):
    case_id: str | None = Field(default=None, max_length=64, description="omit: standalone")
    subject: str = Field(min_length=1, max_length=200)
    at: AwareDatetime = Field(description="when it is held; must be in the future")
    place: str = Field(min_length=1, max_length=300)
    participants: list[Participant] = Field(min_length=1, max_length=60)


class RescheduleIn(Body):
    at: AwareDatetime
    place: str | None = Field(default=None, min_length=1, max_length=300)


class HearingRecordIn(Body):
    summary: str = Field(min_length=1, max_length=10_000)
    conclusion: str = Text
    majority_opinion: str = Field(min_length=1, max_length=5000, description="听证员多数意见")


class HearingRead(Hearing):
    inbox: list[str] = Field(default_factory=list, exclude=True)


def hearing_read(hearing: Hearing) -> HearingRead:
    return HearingRead.model_validate(hearing.model_dump())
