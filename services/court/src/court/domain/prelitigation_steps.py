"""The steps of a pre-litigation mediation (诉前调解) and what each owes the hub.

签收 ``case.accepted`` then 进展 ``case.progressed`` naming the mediator and the number at
acceptance; 进展 for each session and for a failure; 反馈 ``case.feedback`` when mediated
(resolved) or, after a failure, when the case is filed for trial (referred, with its number);
or 退回 ``case.returned`` before acceptance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from court.domain.case_numbers import CaseKind, case_number, year_in_china
from court.domain.errors import InvalidRequest
from court.domain.mediators import Mediator, choose_mediator
from court.domain.prelitigation import MEDIATION_LIMIT, PreLitigationMediation
from court.domain.prelitigation import MediationStatus as M
from court.domain.record import text
from court.domain.returns import ReturnReason
from fengqiao.calendar import SHANGHAI
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import DocumentRef
from fengqiao.contracts.orders import Notice


def accept(
    mediation: PreLitigationMediation,
    mediators: Sequence[Mediator],
    *,
    seq: int,
    by: str,
    now: datetime,
    mediator_id: str | None = None,
    time_limit: timedelta = MEDIATION_LIMIT,
) -> list[Notice]:
    """受理: number the mediation (诉前调) and assign a mediator; the chosen one's load grows."""
    mediation.check(M.ACCEPTED, at=now)
    if time_limit <= timedelta(0):
        raise InvalidRequest("the mediation time limit must be positive")
    mediator = choose_mediator(mediators, named=mediator_id)
    court = mediation.court
    number = case_number(CaseKind.PRE_LITIGATION, seq, year=year_in_china(now), court=court)
    mediation.move(M.ACCEPTED, at=now, actor=by, note=f"{number} {mediator.label}")
    mediation.accepted_at, mediation.due_at = now, now + time_limit
    mediation.mediator_id, mediation.mediator, mediation.number = (
        mediator.id,
        mediator.label,
        number,
    )
    mediator.open_cases += 1
    order = mediation.order
    return [
        order.accepted(handler=f"{court.name} {mediator.label}", at=now),
        order.progressed(note=f"已受理诉前调解, 案号{number}, 调解员: {mediator.label}", at=now),
    ]


def return_order(
    mediation: PreLitigationMediation,
    *,
    reason: ReturnReason,
    by: str,
    now: datetime,
    detail: str | None = None,
) -> list[Notice]:
    """退回: an order the court does not take on goes back to the hub, before acceptance."""
    mediation.check(M.RETURNED, at=now)
    why = detail.strip() if detail and detail.strip() else reason.zh
    mediation.move(M.RETURNED, at=now, actor=by, note=f"{reason.value}: {why}")
    mediation.returned_at = now
    mediation.return_reason_code, mediation.return_reason = reason.value, why
    return [mediation.order.returned(reason_code=reason.value, reason=why, at=now)]


def record_session(
    mediation: PreLitigationMediation, *, note: str, by: str, now: datetime
) -> list[Notice]:
    """调解记录: a session with the parties; the first one starts the mediating status."""
    note = text(note, "a session note")
    mediation.move(M.MEDIATING, at=now, actor=by, note=note)
    return [mediation.order.progressed(note=f"调解记录({mediation.number}): {note}", at=now)]


def mediated(
    mediation: PreLitigationMediation,
    *,
    terms: str,
    by: str,
    now: datetime,
    confirmed: bool = False,
    ruling_seq: int | None = None,
) -> list[Notice]:
    """调解成功: the agreement's terms; ``confirmed`` when the court confirmed it at once
    (当场司法确认), which takes the 民特 ruling's sequence number."""
    mediation.check(M.MEDIATED, at=now)
    terms = text(terms, "the agreement's terms")
    if confirmed != (ruling_seq is not None):
        raise InvalidRequest("a confirmed agreement needs its 民特 ruling number, and only then")
    court, number = mediation.court, mediation.number
    ruling = (
        case_number(CaseKind.CIVIL_SPECIAL, ruling_seq, year=year_in_china(now), court=court)
        if ruling_seq is not None
        else None
    )
    summary = f"诉前调解成功({number}): {terms}" + (f"; 已司法确认: {ruling}" if ruling else "")
    mediation.move(M.MEDIATED, at=now, actor=by, note=summary)
    mediation.terms, mediation.confirmation_number, mediation.ended_at = terms, ruling, now
    documents = [DocumentRef(title=f"调解协议 {number}", uri=f"court://mediations/{number}")]
    if ruling is not None:
        documents.append(DocumentRef(title=f"民事裁定书 {ruling}", uri=f"court://rulings/{ruling}"))
    return [
        mediation.order.feedback(
            outcome=Outcome.RESOLVED, summary=summary, at=now, documents=documents
        )
    ]


def failed(
    mediation: PreLitigationMediation, *, reason: str, by: str, now: datetime
) -> list[Notice]:
    """调解不成: the hub hears why; its feedback comes when the case is filed."""
    mediation.check(M.FAILED, at=now)
    reason = text(reason, "the reason mediation failed")
    mediation.move(M.FAILED, at=now, actor=by, note=reason)
    mediation.failure_reason, mediation.ended_at = reason, now
    return [mediation.order.progressed(note=f"调解不成: {reason}", at=now)]


def file_case(
    mediation: PreLitigationMediation, *, seq: int, filed_on: date, by: str, now: datetime
) -> list[Notice]:
    """立案: after a failure the dispute is filed for trial (民初); the hub gets the number."""
    mediation.check(M.FILED, at=now)
    failed_on = (mediation.ended_at or now).astimezone(SHANGHAI).date()
    today = now.astimezone(SHANGHAI).date()
    if not failed_on <= filed_on <= today:
        raise InvalidRequest(f"the filing date must fall from {failed_on} to {today}")
    court = mediation.court
    number = case_number(CaseKind.CIVIL_FIRST_INSTANCE, seq, year=filed_on.year, court=court)
    mediation.move(M.FILED, at=now, actor=by, note=f"{number} 立案日期 {filed_on}")
    mediation.case_number, mediation.filed_on = number, filed_on
    notice = DocumentRef(title=f"受理案件通知书 {number}", uri=f"court://cases/{number}")
    return [
        mediation.order.feedback(
            outcome=Outcome.REFERRED,
            summary=f"调解不成，已立案: {number}",
            at=now,
            documents=[notice],
        )
    ]
