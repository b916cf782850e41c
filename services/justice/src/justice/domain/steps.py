"""调解步骤: the office's steps on a mediation, and what each owes the hub's order.

A hub order is answered in the order the hub's assignment expects: 签收 ``case.accepted`` and a
进展 note naming the committee and mediator at acceptance, 进展 at every session, 反馈 at the
outcome (agreement or failure); or 退回 ``case.returned`` before acceptance. A walk-in owes the
hub nothing. Each step checks everything first, so a refused step changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import DocumentRef
from fengqiao.contracts.orders import Notice
from justice.domain import answers, confirmation
from justice.domain.choice import Choice
from justice.domain.errors import AgreementNotFound, IllegalTransition, InvalidRequest
from justice.domain.mediation import Agreement, Mediation, Session
from justice.domain.mediation import MediationStatus as S


def accept(mediation: Mediation, choice: Choice, *, by: str, now: datetime) -> list[Notice]:
    """受理: the office takes the dispute on and assigns the committee and mediator chosen."""
    mediation.check(S.ACCEPTED, at=now)
    assigned = f"由{choice.committee_name}受理，调解员：{choice.mediator_name}"
    if choice.manual:
        assigned += f"（指定，理由：{choice.reason}）"
    mediation.move(S.ACCEPTED, at=now, actor=by, note=assigned)
    mediation.accepted_at, mediation.choice = now, choice
    if mediation.hub is None:
        return []
    return [
        mediation.hub.accepted(handler=choice.handler, at=now),
        mediation.hub.progressed(note=assigned, at=now),
    ]


def return_to_hub(
    mediation: Mediation, *, reason_code: str, reason: str, by: str, now: datetime
) -> list[Notice]:
    """退回: an order that is not for people's mediation goes back, before it is accepted."""
    if mediation.hub is None:
        raise IllegalTransition(f"mediation {mediation.id} is a walk-in; there is no order")
    mediation.move(S.RETURNED, at=now, actor=by, note=f"{reason_code}: {reason}")
    return [mediation.hub.returned(reason_code=reason_code, reason=reason, at=now)]


def hold_session(mediation: Mediation, session: Session, *, by: str, now: datetime) -> list[Notice]:
    """调解记录: a meeting with the parties was held; the hub hears of it."""
    mediation.check(S.IN_SESSION, at=now)
    if session.at > now:
        raise InvalidRequest("a session is recorded once it has been held, not before")
    if mediation.accepted_at is not None and session.at < mediation.accepted_at:
        raise InvalidRequest("a session cannot be held before the mediation was accepted")
    number = len(mediation.sessions) + 1
    note = f"第{number}次调解：{session.place}，到场：{'、'.join(session.attendees)}"
    mediation.move(S.IN_SESSION, at=now, actor=by, note=note)
    mediation.sessions.append(session)
    return answers.progress(mediation, note, now=now)


def agree(
    mediation: Mediation,
    agreement: Agreement,
    *,
    by: str,
    now: datetime,
    ask_confirmation: bool = False,
    court: confirmation.Court | None = None,
) -> list[Notice]:
    """达成协议: the parties signed; feedback to the hub, or first ask the court to confirm."""
    mediation.check(S.AGREED, at=now)
    if agreement.signed_at > now:
        raise InvalidRequest("an agreement is recorded once it is signed, not before")
    mediation.move(S.AGREED, at=now, actor=by, note=agreement.number)
    mediation.agreement = agreement
    if ask_confirmation:
        return confirmation.request(mediation, by=by, now=now, court=court)
    documents = [agreement.document] if agreement.document else []
    return answers.result(
        mediation, Outcome.RESOLVED, agreed_summary(agreement), now=now, documents=documents
    )


def fail(mediation: Mediation, *, reason: str, by: str, now: datetime) -> list[Notice]:
    """调解不成 (终止调解): the parties did not agree; the hub gets the reason."""
    if not reason.strip():
        raise InvalidRequest("a failed mediation needs the reason it failed")
    mediation.check(S.FAILED, at=now)
    mediation.move(S.FAILED, at=now, actor=by, note=reason)
    mediation.failure_reason = reason
    return answers.result(mediation, Outcome.UNRESOLVED, f"调解不成：{reason}", now=now)


def attach_document(mediation: Mediation, document: DocumentRef, *, by: str, now: datetime) -> None:
    """协议书归档: the rendered agreement document, once the agreement exists."""
    if mediation.agreement is None:
        raise AgreementNotFound(f"mediation {mediation.id} has no agreement to attach it to")
    mediation.log(at=now, actor=by, note=f"协议书：{document.title}")
    mediation.agreement = mediation.agreement.model_copy(update={"document": document})


def agreed_summary(agreement: Agreement) -> str:
    """The hub's summary of an agreement: number, terms, and when it is to be performed."""
    text = f"达成人民调解协议（{agreement.number}）：{agreement.terms_text()}"
    if agreement.performance_deadline is not None:
        text += f"。履行期限：{agreement.performance_deadline.isoformat()}"
    return text
