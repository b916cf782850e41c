"""One-window intake (无差别受理, 首问负责): every request becomes a case at once, owned by the
officer who first received it; major cases get a responsible leader at registration."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from fengqiao.contracts.codes import Category, Channel, Flag, Severity
from fengqiao.contracts.events import Location
from intake.domain.case import Attachment, Case, Officer, SealedParty
from intake.domain.policy import Policy
from intake.domain.timeline import Step


class Intake(BaseModel):
    """What the window (or a force's report) knows about the matter."""

    channel: Channel
    category: Category
    severity: Severity = Severity.GENERAL
    flags: set[Flag] = Field(default_factory=set)
    title: str
    description: str
    location: Location
    attachments: list[Attachment] = Field(default_factory=list)
    reporter: str | None = None
    external_ref: str | None = None


def register(
    *,
    case_id: str,
    tracking_code: str,
    intake: Intake,
    parties: list[SealedParty],
    officer: Officer,
    now: datetime,
    policy: Policy,
) -> Case:
    case = Case(
        id=case_id,
        tracking_code=tracking_code,
        **intake.model_dump(),
        parties=parties,
        first_contact=officer,
        registered_at=now,
        level=policy.levels[intake.severity],
        due_at=policy.deadlines[intake.severity].due(now, policy.calendar),
    )
    case.record(
        Step.REGISTERED,
        at=now,
        actor=officer.name,
        reason=f"{intake.channel.zh} · {intake.category.zh} · {intake.severity.zh}",
    )
    if policy.needs_leader(intake.severity, intake.flags):
        case.leader = policy.leader_for(case_id, case.level)
        case.record(Step.LEADER_ASSIGNED, at=now, actor="hub", reason=case.leader)
    return case
