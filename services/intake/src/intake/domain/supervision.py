"""督办: clocks, cards and escalation. Yellow card at two thirds of a clock's time, red card
when it is overdue; each card sends a supervision notice, and a red card moves the case one
administrative level up. Cards only ever rise, so a pass that runs twice (two replicas, a
restart) changes nothing the second time."""

from __future__ import annotations

from datetime import datetime

from fengqiao.calendar import fraction_elapsed
from fengqiao.contracts.codes import Card, Clock
from fengqiao.contracts.events import CaseEscalated, CaseSupervised
from fengqiao.contracts.orders import Notice
from intake.domain.assignment import Assignment
from intake.domain.case import YELLOW_AT, Case, running_clocks
from intake.domain.policy import Policy
from intake.domain.timeline import Step

SUPERVISOR = "督办系统"


def card_for(start: datetime, due: datetime, now: datetime) -> Card | None:
    elapsed = fraction_elapsed(start, due, now)
    if now >= due or elapsed >= 1:
        return Card.RED
    return Card.YELLOW if elapsed >= YELLOW_AT else None


def _rank(card: Card | None) -> int:
    return 0 if card is None else 1 + list(Card).index(card)


def supervise(case: Case, *, now: datetime, policy: Policy) -> list[Notice]:
    """Raise every card that is due; return the notices to send."""
    notices: list[Notice] = []
    escalate = True  # clocks that run out together are one lapse: one level up, not several
    for assignment, clock, start, due in running_clocks(case):
        held = case.card if assignment is None else assignment.cards.get(clock)
        card = card_for(start, due, now)
        if _rank(card) <= _rank(held):
            continue
        assert card is not None
        if assignment is None:
            case.card = card
        else:
            assignment.cards[clock] = card
        notices += _notify(
            case, assignment, clock, card, due, now=now, policy=policy, escalate=escalate
        )
        escalate = escalate and card is not Card.RED
    return notices


def _notify(
    case: Case,
    assignment: Assignment | None,
    clock: Clock,
    card: Card,
    due: datetime,
    *,
    now: datetime,
    policy: Policy,
    escalate: bool,
) -> list[Notice]:
    aid = assignment.id if assignment else None
    step = Step.RED_CARD if card is Card.RED else Step.YELLOW_CARD
    case.record(step, at=now, actor=SUPERVISOR, assignment_id=aid, reason=f"{clock.zh} {card.zh}")
    recipients = (
        [assignment.agency]
        if assignment
        else [a.agency for a in case.live_assignments if a.lead and a.open]
    )
    notice = CaseSupervised(
        case_id=case.id,
        assignment_id=aid,
        clock=clock,
        card=card,
        due_at=due,
        level=case.level.above() if card is Card.RED and escalate else case.level,
        notice=f"{case.title}: {clock.zh}{due.isoformat()} — {card.zh}",
    )
    notices = [Notice(r, notice) for r in recipients]
    if card is Card.RED and escalate:
        notices += _escalate(
            case,
            aid,
            clock,
            now=now,
            policy=policy,
            to=[*recipients, *policy.escalation_recipients],
        )
    return notices


def _escalate(
    case: Case,
    assignment_id: str | None,
    clock: Clock,
    *,
    now: datetime,
    policy: Policy,
    to: list[str],
) -> list[Notice]:
    """One level up (grid → village → town → county → city), with a leader there if needed."""
    before, after = case.level, case.level.above()
    case.level = after
    reason = f"{clock.zh}逾期: {before.zh} → {after.zh}"
    case.record(
        Step.ESCALATED, at=now, actor=SUPERVISOR, assignment_id=assignment_id, reason=reason
    )
    if case.leader is None and policy.needs_leader(case.severity, set(case.flags)):
        case.leader = policy.leader_for(case.id, after)
    event = CaseEscalated(
        case_id=case.id,
        assignment_id=assignment_id,
        from_level=before,
        to_level=after,
        at=now,
        reason=reason,
        leader=case.leader,
    )
    return [Notice(r, event) for r in dict.fromkeys(to)]
