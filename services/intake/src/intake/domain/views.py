"""What a citizen sees with a tracking code (流程看板): the stage and the steps, with no
personal data, no officers' names and no free-text reasons."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from intake.domain.case import Case


class Label(BaseModel):
    code: str
    zh: str
    en: str


class PublicStep(BaseModel):
    at: datetime
    step: Label


class PublicView(BaseModel):
    tracking_code: str
    stage: Label
    category: Label
    registered_at: datetime
    due_at: datetime
    outcome: str | None
    steps: list[PublicStep]


def public_view(case: Case) -> PublicView:
    return PublicView(
        tracking_code=case.tracking_code,
        stage=Label(code=case.status.value, zh=case.status.zh, en=case.status.en),
        category=Label(code=case.category.value, zh=case.category.zh, en=case.category.en),
        registered_at=case.registered_at,
        due_at=case.due_at,
        outcome=case.closure.outcome if case.closure else None,
        steps=[
            PublicStep(at=e.at, step=Label(code=e.step.value, zh=e.step.zh, en=e.step.en))
            for e in case.timeline
        ],
    )
