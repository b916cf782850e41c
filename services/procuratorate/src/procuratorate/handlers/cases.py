"""Supervision cases from the hub's events, each applied once (its id is kept on the aggregate
in the same commit):

- ``case.transferred.v1`` (action supervise or handle): a supervision case. A referral outside
  the procuratorate's fields or actions goes back to its sender as ``case.returned.v1`` with the
  domain's reason code, since the sender must re-route it.
- 督办 / 提级督办 / 结案 about a case the hub referred: a line on the supervision case.

Anything else the rules refuse is rejected to the DLQ with the reason, changing nothing.
"""

from __future__ import annotations

from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseClosed, CaseEscalated, CaseSupervised, CaseTransferred
from fengqiao.contracts.orders import notice_line, order_id
from fengqiao.messaging import OutboxMessage, apply_once, create_once, refusals
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.notices import records_noticed
from fengqiao.messaging.pump import EventHandler
from fengqiao.messaging.refusals import RefusedOrder
from procuratorate.bootstrap import Procuratorate
from procuratorate.domain import supervising
from procuratorate.domain.errors import DomainError, NotSupervisable, UnsupportedAction
from procuratorate.domain.supervision import SupervisionCase


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

        await create_once(proc.stores.cases, case_id, envelope.id, lambda: case)

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


def on_sender_notice(proc: Procuratorate) -> EventHandler:
    """督办 / 提级督办 / 结案 from the hub about a case it referred: a line on the supervision
    case (none if the referral was returned)."""

    async def handle(envelope: Envelope) -> None:
        notice = envelope.payload()
        assert isinstance(notice, CaseSupervised | CaseEscalated | CaseClosed)
        agency = envelope.sender
        where = {"order.case_id": notice.case_id, "order.sender": agency}
        referred = await records_noticed(proc.stores.cases, notice, sender=agency, where=where)
        for case_id in (case.id for case in referred):

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
