"""Police–grid linkage (警格+网格, "警务+网格" in seed 001): once the police have disposed of an
incident inside a grid, a grid worker follows it up (信息联采、矛盾联调): visits the parties,
checks the matter stays settled, reports what changed.

It travels as ``case.transferred.v1`` with action ``visit`` from police to grid: the same order
the hub gives the grid, which the grid service already takes and the gateway already allows
(police may send ``case.*`` to grid). The police station is the "hub" of this small loop:

- ``case_id`` is the *incident* id, not the hub's case id, so the grid's answers
  (accepted / progressed / feedback, sent back to their sender: police) find the incident
  directly, even when one hub case gave the station two orders;
- ``tracking_code`` carries the hub's code when there is one, so the worker sees the link.

The grid's answers are lines on the incident's record; its result (反馈) also goes to the hub
when the incident was a hub order, as a note on the station's assignment — before the
station's own feedback or after it (补充说明) — so the hub sees the follow-up it relies on
when it verifies and visits back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from fengqiao.contracts.codes import Action
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseTransferred,
    Location,
    Party,
)
from fengqiao.contracts.orders import Notice
from police.domain.errors import UnknownFollowUp
from police.domain.incident import Incident


class Linkage(BaseModel):
    """Whom to ask and how long they have: the hub's clocks for a grid visit (policy.yaml)."""

    model_config = ConfigDict(frozen=True)

    agency: str = "grid"
    accept_within: timedelta = timedelta(hours=24)
    visit_within: timedelta = timedelta(days=3)


def in_a_grid(location: Location) -> bool:
    """The grid service can place it: a grid code, or coordinates for its polygon lookup."""
    return location.grid is not None or (location.lon is not None and location.lat is not None)


def follow_up(
    incident: Incident, *, now: datetime, parties: list[Party], linkage: Linkage
) -> list[Notice]:
    """The order for a grid worker's follow-up visit; none outside a grid or if sent already."""
    if incident.grid_follow_up is not None or not in_a_grid(incident.location):
        return []
    assignment_id = f"{incident.id}-grid"
    incident.grid_follow_up = assignment_id
    summary = f"派出所已处置: {incident.disposal or incident.title}。请网格员走访当事人, 跟进回访。"
    order = CaseTransferred(
        case_id=incident.id,
        assignment_id=assignment_id,
        tracking_code=incident.hub.tracking_code if incident.hub else None,
        category=incident.category,
        severity=incident.severity,
        action=Action.VISIT,
        lead=True,
        title=f"警情回访: {incident.title}"[:200],
        summary=summary[:10_000],
        location=incident.location,
        parties=parties,
        accept_by=now + linkage.accept_within,
        due_at=now + linkage.visit_within,
    )
    return [Notice(linkage.agency, order)]


GridAnswer = CaseAccepted | CaseProgressed | CaseFeedback


def grid_answered(
    incident: Incident, answer: GridAnswer, *, agency: str, now: datetime
) -> list[Notice]:
    """The grid's answer to the follow-up: a line on the record; its result also to the hub."""
    if incident.grid_follow_up != answer.assignment_id:
        raise UnknownFollowUp(f"no follow-up {answer.assignment_id} asked of {agency}")
    if isinstance(answer, CaseAccepted):
        note = f"网格签收回访: {answer.handler}"
    elif isinstance(answer, CaseProgressed):
        note = f"网格回访进展: {answer.note}"
    else:
        note = f"网格回访反馈: {answer.outcome.zh}: {answer.summary}"
    incident.log(at=max(now, incident.history[-1].at), actor=agency, note=note)
    if not isinstance(answer, CaseFeedback) or incident.hub is None:
        return []
    return [incident.hub.progressed(note=note, at=answer.at)]
