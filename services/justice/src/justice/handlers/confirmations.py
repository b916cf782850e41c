"""司法确认 of a mediation's agreement: the office asks the court (an order of its own, whose
``case_id`` is the mediation's id), and the court's answers come back as events; the ruling
reaches the hub in the same commit."""

from __future__ import annotations

from fengqiao.clock import now_utc
from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseAccepted, CaseFeedback, CaseProgressed, CaseReturned
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from justice.bootstrap import Office
from justice.domain import confirmation
from justice.domain.errors import DomainError
from justice.domain.mediation import Mediation
from justice.handlers.changes import change


async def ask_confirmation(office: Office, *, mediation_id: str, by: str) -> Mediation:
    """申请司法确认 of the mediation's agreement; AgreementNotFound when there is none."""

    def step(m: Mediation) -> list[Notice]:
        return confirmation.request(m, by=by, now=now_utc(), court=office.court)

    return await change(office, office.stores.mediations, mediation_id, step)


def on_court_answer(office: Office) -> EventHandler:
    """``case.accepted/progressed/feedback/returned.v1`` from the court about our order; an
    answer to no order of ours is refused (to the DLQ with the reason)."""

    async def handle(envelope: Envelope) -> None:
        answer = envelope.payload()
        assert isinstance(answer, CaseAccepted | CaseProgressed | CaseFeedback | CaseReturned)
        agency = envelope.sender

        def take_answer(current: Mediation | None) -> tuple[Mediation, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no mediation {answer.case_id} asked {agency} for anything")
            try:
                now = now_utc()
                notices = confirmation.on_court_answer(current, answer, agency=agency, now=now)
            except DomainError as error:
                raise Rejected(str(error)) from None
            return current, office.outgoing(current.id, notices, envelope.id)

        await apply_once(office.stores.mediations, answer.case_id, envelope.id, take_answer)

    return handle
