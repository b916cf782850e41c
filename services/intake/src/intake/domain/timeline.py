"""The case's timeline (流程看板): every transition, with actor, time, reason and cause."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from fengqiao.contracts.codes import CodeList


class Step(CodeList):
    REGISTERED = ("registered", "登记受理", "registered")
    LEADER_ASSIGNED = ("leader_assigned", "领导包案", "responsible leader assigned")
    ASSESSED = ("assessed", "研判", "assessed")
    OVERRIDDEN = ("overridden", "研判调整", "assessment overridden")
    DISPATCHED = ("dispatched", "流转交办", "dispatched")
    DELIVERED = ("delivered", "已送达", "delivered by the exchange")
    UNDELIVERABLE = ("undeliverable", "交换拒收", "refused by the exchange")
    ACCEPTED = ("accepted", "签收", "accepted")
    RETURNED = ("returned", "退回", "returned")
    PROGRESSED = ("progressed", "办理进展", "progress reported")
    FEEDBACK = ("feedback", "办理反馈", "feedback")
    AWAITING_VERIFICATION = ("awaiting_verification", "待核查", "awaiting verification")
    VERIFIED = ("verified", "核查通过", "verified")
    VERIFICATION_FAILED = ("verification_failed", "核查未通过", "verification failed")
    CLOSED = ("closed", "结案归档", "closed")
    SETTLED_ON_THE_SPOT = ("settled_on_the_spot", "现场办结", "settled on the spot")
    FOLLOWED_UP = ("followed_up", "回访", "followed up")
    REOPENED = ("reopened", "重新办理", "reopened")
    YELLOW_CARD = ("yellow_card", "黄牌预警", "yellow card")
    RED_CARD = ("red_card", "红牌督办", "red card")
    ESCALATED = ("escalated", "提级督办", "escalated")


class TimelineEntry(BaseModel):
    """One step; entries are only ever appended."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    step: Step
    actor: str
    status: str
    reason: str | None = None
    assignment_id: str | None = None
    event_id: str | None = None
