"""Notices from the sender of an order about its own case: 督办 ``case.supervised.v1``, 提级
``case.escalated.v1`` and 结案 ``case.closed.v1``. Each is kept as a line on the record of the
court's matter for that order (a mediation or a confirmation), applied once; one about no
matter of the court's goes to the DLQ. A notice naming assignments (a card, a closure listing
the court's) names the matters; one naming only the sender's case tells every matter of it."""

from __future__ import annotations

from typing import Any, TypeVar

from court.bootstrap import Tribunal
from court.domain.errors import DomainError
from court.domain.record import Tracked
from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseClosed, CaseEscalated, CaseSupervised
from fengqiao.contracts.orders import SenderNotice, notice_line
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.notices import records_noticed
from fengqiao.messaging.pump import EventHandler
from fengqiao.storage import Repository

M = TypeVar("M", bound=Tracked[Any])

Notice = SenderNotice


async def matters_of(repository: Repository[M], agency: str, notice: Notice) -> list[str]:
    """The ids of the court's matters the notice is about, in ``repository``."""
    where = {"order.case_id": notice.case_id, "order.sender": agency}
    found = await records_noticed(repository, notice, sender=agency, where=where)
    return [matter.id for matter in found]  # an order's id holds its sender: all are its


async def note_on(
    repository: Repository[M], agency: str, notice: Notice, envelope: Envelope, tribunal: Tribunal
) -> int:
    """Keep the notice on each matter it is about; how many there were."""
    note = notice_line(notice)

    def change(current: M | None) -> tuple[M, list[OutboxMessage]]:
        if current is None:
            raise Rejected(f"{notice.case_id}: the matter is gone")
        try:
            current.log(at=tribunal.clock(), actor=agency, note=note)
        except DomainError as error:
            raise Rejected(str(error)) from None
        return current, []

    found = await matters_of(repository, agency, notice)
    for matter_id in found:
        await apply_once(repository, matter_id, envelope.id, change)
    return len(found)


def on_notice(tribunal: Tribunal) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        notice = envelope.payload()
        assert isinstance(notice, CaseSupervised | CaseEscalated | CaseClosed)
        agency = envelope.sender
        stores = tribunal.stores
        told = await note_on(stores.mediations, agency, notice, envelope, tribunal)
        told += await note_on(stores.confirmations, agency, notice, envelope, tribunal)
        if not told:
            raise Rejected(f"the court holds no order of {agency}'s case {notice.case_id}")

    return handle
