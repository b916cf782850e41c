"""公开听证: a public hearing the procuratorate holds on a case (or on its own), with a
presiding prosecutor, a panel of hearing officers, the parties, people's supervisors and others.

scheduled → held (with its record) | cancelled (with a reason); while scheduled it may be moved
to another future time. ``hearings`` holds the steps and the panel rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.contracts.codes import CodeList
from procuratorate.domain.workflow import Workflow


class HearingRole(CodeList):
    PROSECUTOR = ("prosecutor", "检察官(主持)", "presiding prosecutor")
    HEARING_OFFICER = ("hearing_officer", "听证员", "hearing officer")
    PARTY = ("party", "当事人", "party")
    PEOPLES_SUPERVISOR = ("peoples_supervisor", "人民监督员", "people's supervisor")
    OTHER = ("other", "其他参加人", "other participant")


class Participant(BaseModel):
    """One person at the hearing, in one role."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=100)
    role: HearingRole
    affiliation: str | None = Field(default=None, max_length=200, description="单位或身份")


class HearingStatus(CodeList):
    SCHEDULED = ("scheduled", "已安排", "scheduled")
    HELD = ("held", "已举行", "held")
    CANCELLED = ("cancelled", "已取消", "cancelled")


S = HearingStatus
ALLOWED: dict[HearingStatus, frozenset[HearingStatus]] = {
    S.SCHEDULED: frozenset({S.HELD, S.CANCELLED}),
    S.HELD: frozenset(),
    S.CANCELLED: frozenset(),
}


class HearingRecord(BaseModel):
    """听证笔录: what was heard, what was concluded, and the hearing officers' majority view."""

    model_config = ConfigDict(frozen=True)

    summary: str = Field(min_length=1, max_length=10_000)
    conclusion: str = Field(min_length=1, max_length=5000)
    majority_opinion: str = Field(min_length=1, max_length=5000, description="听证员多数意见")
    recorded_at: datetime
    recorded_by: str


class Hearing(Workflow[HearingStatus]):
    """公开听证: one hearing, on a supervision case (``case_id``) or standalone."""

    case_id: str | None = None
    subject: str = Field(min_length=1, max_length=200)
    scheduled_at: datetime
    place: str = Field(min_length=1, max_length=300)
    participants: list[Participant]
    min_officers: int = Field(ge=1, description="the panel rule it was scheduled under")
    status: HearingStatus = S.SCHEDULED
    record: HearingRecord | None = None
    cancel_reason: str | None = None

    def table(self) -> Mapping[HearingStatus, frozenset[HearingStatus]]:
        return ALLOWED

    def in_role(self, role: HearingRole) -> list[Participant]:
        return [p for p in self.participants if p.role is role]
