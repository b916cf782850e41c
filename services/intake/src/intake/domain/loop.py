"""The hub's closed loop (发现 → 研判 → 流转 → 处置 → 反馈 → 结案 → 回访) as pure functions on a
case. Each checks the case's state, changes it, writes the timeline, and returns the events to
send; none does I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fengqiao.contracts.codes import Flag, Outcome
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
    OnTheSpot,
    Party,
)
from fengqiao.contracts.orders import Notice
from intake.domain.assignment import Assignment, AssignmentStatus, Feedback, Progress
from intake.domain.case import (
    Assessment,
    Case,
    CaseStatus,
    Closure,
    FollowUp,
    Officer,
    PlannedTask,
)
from intake.domain.errors import IllegalTransition, NoRuleMatched
from intake.domain.policy import Policy, TaskSpec
from intake.domain.timeline import Step

C = CaseStatus
SATISFIED = 3  # 回访: a satisfaction below this reopens the case


@dataclass(frozen=True)
class Override:
    """An officer's own plan instead of the rule's, with the reason (recorded)."""

    tasks: list[TaskSpec]
    reason: str
    leader: bool = False


def assess(
    case: Case, *, policy: Policy, officer: Officer, now: datetime, override: Override | None = None
) -> None:
    case.require(C.REGISTERED, C.REASSESSMENT, C.ASSESSED, to="assess")
    flags = set(case.flags)
    rule = policy.rule_for(case.category, case.severity, flags, case.location)
    if override is not None:
        tasks, leader, rule_id = override.tasks, override.leader, None
        explanation = f"officer's plan: {override.reason}"
    elif rule is not None:
        tasks, leader, rule_id = [rule.lead, *rule.co], rule.leader, rule.id
        explanation = f"rule {rule.id} (policy {policy.version}): {rule.description}"
    else:
        raise NoRuleMatched(f"no rule covers case {case.id}; give a plan and a reason")
    case.assessment = Assessment(
        rule_id=rule_id,
        policy_version=policy.version,
        explanation=explanation,
        tasks=[PlannedTask(**t.model_dump(), lead=i == 0) for i, t in enumerate(tasks)],
        leader_needed=leader,
        by=officer.name,
        at=now,
        override_reason=override.reason if override else None,
    )
    case.status = C.ASSESSED
    case.record(
        Step.OVERRIDDEN if override else Step.ASSESSED,
        at=now,
        actor=officer.name,
        reason=explanation,
    )
    if (leader or policy.needs_leader(case.severity, flags)) and case.leader is None:
        case.leader = policy.leader_for(case.id, case.level)
        case.record(Step.LEADER_ASSIGNED, at=now, actor=officer.name, reason=case.leader)


def dispatch(
    case: Case, *, policy: Policy, officer: Officer, now: datetime, parties: list[Party]
) -> list[Notice]:
    """One assignment per planned task that no live assignment covers yet."""
    case.require(C.ASSESSED, to="dispatch")
    assert case.assessment is not None
    covered = {(a.agency, a.action) for a in case.live_assignments}
    notices: list[Notice] = []
    for task in case.assessment.tasks:
        if (task.agency, task.action) in covered:
            continue
        assignment = Assignment(
            id=f"{case.id}-{len(case.assignments) + 1}",
            agency=task.agency,
            action=task.action,
            lead=task.lead,
            unit=task.unit,
            sent_at=now,
            accept_by=policy.accept.due(now, policy.calendar),
            due_at=min(task.within.due(now, policy.calendar), case.due_at)
            if task.within
            else case.due_at,
        )
        case.assignments.append(assignment)
        notices.append(
            Notice(
                task.agency,
                CaseTransferred(
                    case_id=case.id,
                    assignment_id=assignment.id,
                    tracking_code=case.tracking_code,
                    category=case.category,
                    severity=case.severity,
                    emergency=Flag.EMERGENCY in case.flags,
                    action=task.action,
                    lead=task.lead,
                    unit=task.unit,
                    title=case.title,
                    summary=case.description,
                    location=case.location,
                    parties=parties,
                    due_at=assignment.due_at,
                    accept_by=assignment.accept_by,
                ),
            )
        )
        case.record(
            Step.DISPATCHED,
            at=now,
            actor=officer.name,
            assignment_id=assignment.id,
            reason=f"{task.agency}: {task.action.value}",
        )
    if not notices:
        # The re-planned work is all under way or done already (e.g. the officer dropped the
        # task a force returned): resume the case rather than leave it stuck in "assessed".
        case.record(Step.DISPATCHED, at=now, actor=officer.name, reason="nothing new to send")
    case.status = C.DISPATCHED
    _await_verification_if_done(case, now=now)
    return notices


def accepted(case: Case, event: CaseAccepted, *, event_id: str, agency: str) -> None:
    assignment = _of(case, event.assignment_id, agency)
    assignment.move(AssignmentStatus.ACCEPTED)
    assignment.accepted_at, assignment.handler = event.accepted_at, event.handler
    case.record(
        Step.ACCEPTED,
        at=event.accepted_at,
        actor=f"{agency}: {event.handler}",
        assignment_id=assignment.id,
        event_id=event_id,
    )


def returned(case: Case, event: CaseReturned, *, event_id: str, agency: str) -> None:
    assignment = _of(case, event.assignment_id, agency)
    assignment.move(AssignmentStatus.RETURNED)
    assignment.returned_at = event.returned_at
    assignment.return_reason_code, assignment.return_reason = event.reason_code, event.reason
    if case.status in (C.ASSESSED, C.DISPATCHED, C.AWAITING_VERIFICATION):
        case.status = C.REASSESSMENT
    case.record(
        Step.RETURNED,
        at=event.returned_at,
        actor=agency,
        assignment_id=assignment.id,
        reason=f"{event.reason_code}: {event.reason}",
        event_id=event_id,
    )


def progressed(case: Case, event: CaseProgressed, *, event_id: str, agency: str) -> None:
    """办理进展; after its feedback a force may still add to it (补充说明), e.g. the grid's
    follow-up visit the police asked for: a note on the record that changes no state."""
    assignment = _of(case, event.assignment_id, agency)
    if assignment.status is not AssignmentStatus.FEEDBACK:
        assignment.move(AssignmentStatus.IN_PROGRESS)
    assignment.progress.append(Progress(at=event.at, note=event.note))
    case.record(
        Step.PROGRESSED,
        at=event.at,
        actor=agency,
        assignment_id=assignment.id,
        reason=event.note,
        event_id=event_id,
    )


def feedback(case: Case, event: CaseFeedback, *, event_id: str, agency: str) -> None:
    assignment = _of(case, event.assignment_id, agency)
    assignment.move(AssignmentStatus.FEEDBACK)
    assignment.feedback = Feedback(
        at=event.at, outcome=event.outcome, summary=event.summary, documents=list(event.documents)
    )
    case.record(
        Step.FEEDBACK,
        at=event.at,
        actor=agency,
        assignment_id=assignment.id,
        reason=f"{event.outcome.value}: {event.summary}",
        event_id=event_id,
    )
    _await_verification_if_done(case, now=event.at)


def _of(case: Case, assignment_id: str, agency: str) -> Assignment:
    assignment = case.assignment(assignment_id)
    if assignment.agency != agency:
        raise IllegalTransition(
            f"assignment {assignment_id} belongs to {assignment.agency}, not {agency}"
        )
    return assignment


def _await_verification_if_done(case: Case, *, now: datetime) -> None:
    live = case.live_assignments
    if case.status == C.DISPATCHED and live and all(a.feedback for a in live):
        case.status = C.AWAITING_VERIFICATION
        case.record(Step.AWAITING_VERIFICATION, at=now, actor="hub")


def verify(case: Case, *, officer: Officer, now: datetime, passed: bool, note: str) -> None:
    """核查: the hub checks the forces' results before closing."""
    case.require(C.AWAITING_VERIFICATION, to="verify")
    if passed:
        case.status, case.verified_at = C.VERIFIED, now
        case.record(Step.VERIFIED, at=now, actor=officer.name, reason=note)
    else:
        _reopen(case, step=Step.VERIFICATION_FAILED, officer=officer, now=now, reason=note)


def close(
    case: Case, *, officer: Officer, now: datetime, summary: str, outcome: Outcome | None = None
) -> list[Notice]:
    """结案: archive the case and tell every force that worked on it, and its reporter."""
    case.require(C.VERIFIED, to="close")
    final = outcome or overall_outcome(case)
    case.closure = Closure(at=now, outcome=final.value, summary=summary, by=officer.name)
    case.status = C.CLOSED
    case.record(Step.CLOSED, at=now, actor=officer.name, reason=f"{final.value}: {summary}")
    # Every force that did work on it, in any round, archives its part; not those that returned.
    told = dict.fromkeys(a.agency for a in case.assignments if a.return_reason_code is None)
    if case.reporter:
        told.setdefault(case.reporter)
    return [
        Notice(
            agency,
            CaseClosed(
                case_id=case.id,
                closed_at=now,
                outcome=final,
                summary=summary,
                assignment_ids=[a.id for a in case.assignments if a.agency == agency],
            ),
        )
        for agency in told
    ]


def settled_on_the_spot(case: Case, settled: OnTheSpot, *, agency: str) -> None:
    """现场办结: a force reports a matter it already settled ("微事不出格"): registered and closed
    at once, so the hub counts it (the on-the-spot share) without routing it anywhere."""
    case.require(C.REGISTERED, to="record an on-the-spot settlement")
    by = f"{settled.handler} ({agency})"
    case.closure = Closure(
        at=settled.at, outcome=settled.outcome.value, summary=settled.summary, by=by
    )
    case.status = C.CLOSED
    case.on_the_spot = True
    case.record(
        Step.SETTLED_ON_THE_SPOT,
        at=settled.at,
        actor=by,
        reason=f"{settled.outcome.value}: {settled.summary}",
    )


def overall_outcome(case: Case) -> Outcome:
    outcomes = {a.feedback.outcome for a in case.live_assignments if a.feedback}
    if outcomes == {Outcome.RESOLVED}:
        return Outcome.RESOLVED
    if outcomes & {Outcome.RESOLVED, Outcome.PARTLY_RESOLVED}:
        return Outcome.PARTLY_RESOLVED
    return Outcome.REFERRED if outcomes == {Outcome.REFERRED} else Outcome.UNRESOLVED


def follow_up(
    case: Case, *, officer: Officer, now: datetime, satisfaction: int, comment: str, policy: Policy
) -> None:
    """回访: the citizen's satisfaction; below 3 the case is reopened with a fresh clock."""
    case.require(C.CLOSED, to="follow up")
    case.follow_ups.append(
        FollowUp(at=now, satisfaction=satisfaction, comment=comment, by=officer.name)
    )
    if satisfaction >= SATISFIED:
        case.status = C.FOLLOWED_UP
        case.record(
            Step.FOLLOWED_UP,
            at=now,
            actor=officer.name,
            reason=f"satisfaction {satisfaction}: {comment}",
        )
        return
    case.closure, case.verified_at = None, None
    case.due_at, case.card = policy.deadlines[case.severity].due(now, policy.calendar), None
    case.clock_started_at = now
    case.reopened += 1
    if Flag.REPEAT not in case.flags:
        case.flags.add(Flag.REPEAT)
    _reopen(
        case,
        step=Step.REOPENED,
        officer=officer,
        now=now,
        reason=f"satisfaction {satisfaction}: {comment}",
    )


def _reopen(case: Case, *, step: Step, officer: Officer, now: datetime, reason: str) -> None:
    for assignment in case.live_assignments:
        assignment.superseded = True
    case.status = C.REASSESSMENT
    case.record(step, at=now, actor=officer.name, reason=reason)
