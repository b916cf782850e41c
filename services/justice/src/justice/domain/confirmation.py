"""司法确认: asking the court to confirm a mediation agreement, and taking its answers.

The request travels as a NEW order, ``case.transferred`` with action ``confirm``, from the
justice office to the court. Its ``case_id`` is the mediation's id and its assignment id is
``<mediation id>-confirm``, so the court's answers (accepted / progressed / feedback, sent
back to the justice office) find the mediation directly; ``tracking_code`` carries the hub's
code so the court sees the link, and ``unit`` names the committee that mediated. The court's
feedback decides: outcome ``resolved`` confirms the agreement, anything else refuses it; a
returned order counts as refused; either way the hub hears the result.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from fengqiao.contracts.codes import Action, Outcome
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
)
from fengqiao.contracts.orders import Notice
from justice.domain import answers
from justice.domain.errors import AgreementNotFound, UnknownOrder
from justice.domain.mediation import Agreement, Confirmation, Mediation
from justice.domain.mediation import MediationStatus as S

CourtAnswer = CaseAccepted | CaseProgressed | CaseFeedback | CaseReturned


class Court(BaseModel):
    """Whom to ask and how long they have (the court's clocks for a confirmation)."""

    model_config = ConfigDict(frozen=True)

    agency: str = "court"
    accept_within: timedelta = timedelta(days=3)
    decide_within: timedelta = timedelta(days=15)


def request(
    mediation: Mediation, *, by: str, now: datetime, court: Court | None = None
) -> list[Notice]:
    """申请司法确认: send the agreement to the court; the hub hears it was asked for."""
    court = court or Court()
    agreement = mediation.agreement
    if agreement is None:
        raise AgreementNotFound(
            f"mediation {mediation.id} has no agreement: there is nothing to confirm"
        )
    mediation.check(S.CONFIRMATION_REQUESTED, at=now)
    assignment_id = f"{mediation.id}-confirm"
    mediation.move(S.CONFIRMATION_REQUESTED, at=now, actor=by, note=court.agency)
    mediation.confirmation = Confirmation(
        agency=court.agency, assignment_id=assignment_id, requested_at=now
    )
    order = CaseTransferred(
        case_id=mediation.id,
        assignment_id=assignment_id,
        tracking_code=mediation.hub.tracking_code if mediation.hub else None,
        category=mediation.category,
        severity=mediation.severity,
        action=Action.CONFIRM,
        lead=True,
        unit=mediation.choice.committee_name[:100] if mediation.choice else None,
        title=f"司法确认申请: {mediation.title}"[:200],
        summary=court_summary(agreement)[:10_000],
        location=mediation.location,
        parties=list(agreement.parties),
        accept_by=now + court.accept_within,
        due_at=now + court.decide_within,
    )
    note = f"达成协议，申请司法确认（{agreement.number}）"
    return [*answers.progress(mediation, note, now=now), Notice(court.agency, order)]


def court_summary(agreement: Agreement) -> str:
    """What the court reads: parties, facts and terms of the agreement."""
    parties = "、".join(f"{p.name}（{p.role}）" for p in agreement.parties)
    text = (
        f"人民调解协议书 {agreement.number}。当事人：{parties}。"
        f"纠纷主要事实：{agreement.facts}。协议内容：{agreement.terms_text()}"
    )
    # The order has no documents field, so the filed copy is named where the court reads.
    document = agreement.document
    if document is not None:
        text += f"。协议书：{document.uri}（sha256 {document.sha256 or '-'}）"
    return text


def on_court_answer(
    mediation: Mediation, event: CourtAnswer, *, agency: str, now: datetime
) -> list[Notice]:
    """The court's answer to the confirmation order, whichever kind it is."""
    confirmation = _ours(mediation, event, agency, now)
    if isinstance(event, CaseAccepted):
        mediation.log(at=now, actor=agency, note=f"法院已受理司法确认申请：{event.handler}")
        confirmation.accepted_at, confirmation.handler = event.accepted_at, event.handler
        return []
    if isinstance(event, CaseProgressed):
        mediation.log(at=now, actor=agency, note=f"法院进展：{event.note}")
        return []
    if isinstance(event, CaseReturned):
        return _refused(mediation, Outcome.UNRESOLVED, f"法院退回申请：{event.reason}", agency, now)
    confirmation.decided_at, confirmation.outcome = event.at, event.outcome
    confirmation.ruling, confirmation.documents = event.summary, list(event.documents)
    if event.outcome is not Outcome.RESOLVED:
        # A partial confirmation still leaves part of the agreement enforceable.
        partly = event.outcome is Outcome.PARTLY_RESOLVED
        outcome = Outcome.PARTLY_RESOLVED if partly else Outcome.UNRESOLVED
        return _refused(mediation, outcome, f"司法确认未获支持：{event.summary}", agency, now)
    mediation.move(S.CONFIRMED, at=now, actor=agency, note=event.summary)
    agreement = mediation.agreement
    own = [agreement.document] if agreement is not None and agreement.document else []
    return answers.result(
        mediation,
        Outcome.RESOLVED,
        f"司法确认: {event.summary}",
        now=now,
        documents=own + list(event.documents),
    )


def _ours(mediation: Mediation, event: CourtAnswer, agency: str, now: datetime) -> Confirmation:
    """The confirmation this answer is for, checked before anything changes."""
    c = mediation.confirmation
    if (
        c is None
        or event.assignment_id != c.assignment_id
        or event.case_id != mediation.id
        or agency != c.agency
    ):
        raise UnknownOrder(
            f"mediation {mediation.id} sent no confirmation order {event.assignment_id} to {agency}"
        )
    if mediation.status is not S.CONFIRMATION_REQUESTED:
        mediation.require(S.CONFIRMED)  # raises: the court has already decided
    mediation.check_time(now)
    return c


def _refused(
    mediation: Mediation, outcome: Outcome, reason: str, agency: str, now: datetime
) -> list[Notice]:
    mediation.move(S.REFUSED, at=now, actor=agency, note=reason)
    return answers.result(mediation, outcome, reason, now=now)
