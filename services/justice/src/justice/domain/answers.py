"""What a mediation owes the hub's order (答复综治中心): progress notes and one feedback.

The hub takes one 反馈 per assignment; after it, only 进展 notes (补充说明) are accepted. So a
result that comes after the feedback was given (a judicial confirmation asked for later) goes
to the hub as a note rather than a second feedback. A walk-in mediation owes the hub nothing.
"""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import DocumentRef
from fengqiao.contracts.orders import Notice
from justice.domain.mediation import Mediation


def progress(mediation: Mediation, note: str, *, now: datetime) -> list[Notice]:
    """办理进展 for the hub's order; nothing for a walk-in."""
    if mediation.hub is None:
        return []
    return [mediation.hub.progressed(note=note, at=now)]


def result(
    mediation: Mediation,
    outcome: Outcome,
    summary: str,
    *,
    now: datetime,
    documents: list[DocumentRef] | None = None,
) -> list[Notice]:
    """反馈 the outcome to the hub, once; later results become 补充说明 notes."""
    if mediation.hub is None:
        return []
    if mediation.hub_feedback_at is not None:
        return progress(mediation, f"补充说明（{outcome.zh}）：{summary}", now=now)
    mediation.hub_feedback_at = now
    return [mediation.hub.feedback(outcome=outcome, summary=summary, at=now, documents=documents)]
