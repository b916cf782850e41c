"""Kafka subscriptions of the procuratorate: events from ``xchg.in.<procuratorate>``, each
applied once (its id is kept on the aggregate in the same commit).

- ``case.transferred.v1`` from the hub (action supervise or handle): a supervision case. A
  referral outside the procuratorate's fields or actions goes back to its sender as
  ``case.returned.v1`` with the domain's reason code, since the sender must re-route it.
- ``case.accepted/progressed/feedback.v1`` from a department, answering a prosecutorial
  suggestion (their ``case_id`` is the suggestion's id): on the suggestion; a feedback (the
  written reply) is then recorded on the suggestion's supervision case too, applied once there
  under the same event id, and the hub hears of it.

Anything else the rules refuse is rejected to the DLQ with the reason, changing nothing.
"""

from __future__ import annotations

from fengqiao.contracts import Envelope
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseClosed,
    CaseEscalated,
    CaseFeedback,
    CaseProgressed,
    CaseSupervised,
    CaseTransferred,
)
from fengqiao.contracts.orders import SENDER_NOTICES, notice_line, order_id
from fengqiao.messaging import OutboxMessage, apply_once, refusals
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler, Wiring
from fengqiao.messaging.refusals import RefusedOrder
from fengqiao.runtime import Runtime
from procuratorate.bootstrap import procuratorate_of
from procuratorate.domain import suggesting, supervising
from procuratorate.domain.errors import DomainError, NotSupervisable, UnsupportedAction
from procuratorate.domain.suggestion import Suggestion
from procuratorate.domain.supervision import SupervisionCase
from procuratorate.handlers import Procuratorate

Answer = CaseAccepted | CaseProgressed | CaseFeedback


def on_transferred(proc: Procuratorate) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        order = envelope.payload()
        assert isinstance(order, CaseTransferred)
        agency = envelope.sender
        case_id = order_id(agency, order.assignment_id)
        try:
            case = supervising.receive(case_id, order, now=proc.clock(), sender=agency)
        except (NotSupervisable, UnsupportedAction) as error:
            await give_back(proc, envelope, order, agency, case_id, error)
            return
        except DomainError as error:
            raise Rejected(str(error)) from None

        def change(current: SupervisionCase | None) -> tuple[SupervisionCase, list[OutboxMessage]]:
            # The same referral sent again under a new event id is still one case.
            return (current, []) if current is not None else (case, [])

        await apply_once(proc.stores.cases, case_id, envelope.id, change)

    return handle


async def give_back(
    proc: Procuratorate,
    envelope: Envelope,
    order: CaseTransferred,
    agency: str,
    refusal_id: str,
    error: DomainError,
) -> None:
    notices = supervising.refusal(order, error, now=proc.clock(), sender=agency)
    refused = RefusedOrder(
        id=refusal_id,
        case_id=order.case_id,
        sender=agency,
        reason_code=error.reason_code,
        reason=str(error),
    )
    answer = proc.outgoing(order.case_id, notices, envelope.id)
    await refusals.give_back(proc.stores.refusals, refused, answer, cause=envelope.id)


def on_department_answer(proc: Procuratorate) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        answer = envelope.payload()
        assert isinstance(answer, Answer)
        agency = envelope.sender

        def change(current: Suggestion | None) -> tuple[Suggestion, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no suggestion {answer.case_id} awaits an answer from {agency}")
            try:
                take(current, answer, agency, proc)
            except DomainError as error:
                raise Rejected(str(error)) from None
            return current, []

        await apply_once(proc.stores.suggestions, answer.case_id, envelope.id, change)
        if isinstance(answer, CaseFeedback):
            # Also on a redelivery: the first delivery may have stopped before this step.
            await record_reply(proc, answer.case_id, envelope)

    return handle


def take(suggestion: Suggestion, answer: Answer, agency: str, proc: Procuratorate) -> None:
    now = proc.clock()
    if isinstance(answer, CaseAccepted):
        suggesting.on_accepted(suggestion, answer, sender=agency, now=now)
    elif isinstance(answer, CaseProgressed):
        suggesting.on_progressed(suggestion, answer, sender=agency, now=now)
    else:
        suggesting.on_feedback(suggestion, answer, sender=agency, now=now)


async def record_reply(proc: Procuratorate, suggestion_id: str, envelope: Envelope) -> None:
    """部门回复 on the supervision case the suggestion was issued on, if any."""
    suggestion = await proc.stores.suggestions.get(suggestion_id)
    if suggestion.case_id is None:
        return

    def change(current: SupervisionCase | None) -> tuple[SupervisionCase, list[OutboxMessage]]:
        if current is None:
            raise Rejected(f"suggestion {suggestion.id}: no case {suggestion.case_id}")
        try:
            notices = supervising.record_reply(current, suggestion, now=proc.clock())
        except DomainError as error:
            raise Rejected(str(error)) from None
        return current, proc.outgoing(current.id, notices, envelope.id)

    await apply_once(proc.stores.cases, suggestion.case_id, envelope.id, change)


def on_sender_notice(proc: Procuratorate) -> EventHandler:
    """督办 / 提级督办 / 结案 from the hub about a case it referred: a line on the supervision
    case (none if the referral was returned)."""

    async def handle(envelope: Envelope) -> None:
        notice = envelope.payload()
        assert isinstance(notice, CaseSupervised | CaseEscalated | CaseClosed)
        agency = envelope.sender
        where = {"order.case_id": notice.case_id, "order.sender": agency}
        found = proc.stores.cases.collection.find(where, {"_id": 1})
        for case_id in [str(doc["_id"]) async for doc in found]:

            def change(
                current: SupervisionCase | None,
            ) -> tuple[SupervisionCase, list[OutboxMessage]]:
                assert current is not None  # cases are never deleted
                if current.order.concerns(notice, sender=agency):
                    at = max(
                        proc.clock(), current.history[-1].at if current.history else proc.clock()
                    )
                    current.log(at=at, actor=agency, note=notice_line(notice))
                return current, []

            await apply_once(proc.stores.cases, case_id, envelope.id, change)

    return handle


def wiring(runtime: Runtime) -> Wiring:
    proc = procuratorate_of(runtime)
    answer = on_department_answer(proc)
    return Wiring(
        handlers={
            "case.transferred.v1": on_transferred(proc),
            "case.accepted.v1": answer,
            "case.progressed.v1": answer,
            "case.feedback.v1": answer,
            **dict.fromkeys(SENDER_NOTICES, on_sender_notice(proc)),
        },
        outbox=proc.stores.outboxes,
    )
