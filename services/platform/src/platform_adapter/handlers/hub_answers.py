"""The hub's answers about the cases the platform reported:

- ``case.registered.v1``: the event's case id and tracking code;
- ``case.updated.v1``: a new status of the case (流程看板);
- ``case.closed.v1``: the closure;
each applied once to the event's sync record and mirrored onto its duplicates, after which the
platform is owed a push. The hub's escalation notices to the platform are logged: the platform
keeps its own supervision."""

from __future__ import annotations

import logging

from fengqiao.contracts import Envelope
from fengqiao.contracts.events import CaseClosed, CaseRegistered, CaseUpdated
from fengqiao.messaging import OutboxMessage, apply_once
from fengqiao.messaging.consumer import Rejected
from fengqiao.messaging.pump import EventHandler
from platform_adapter.bootstrap import Adapter
from platform_adapter.domain import hub
from platform_adapter.domain.errors import DomainError
from platform_adapter.domain.sync import SyncRecord

log = logging.getLogger(__name__)


def on_hub_answer(adapter: Adapter) -> EventHandler:
    async def handle(envelope: Envelope) -> None:
        answer = envelope.payload()
        assert isinstance(answer, CaseRegistered | CaseUpdated | CaseClosed)
        record_id = await record_of(adapter, answer)

        def change(current: SyncRecord | None) -> tuple[SyncRecord, list[OutboxMessage]]:
            if current is None:
                raise Rejected(f"no platform event {record_id} behind case {answer.case_id}")
            try:
                if isinstance(answer, CaseRegistered):
                    hub.on_registered(current, answer)
                elif isinstance(answer, CaseUpdated):
                    hub.on_hub_update(current, answer.status, answer.at, answer.note)
                else:
                    hub.on_hub_closed(current, answer)
            except DomainError as error:
                raise Rejected(str(error)) from None
            return current, []

        await apply_once(adapter.stores.records, record_id, envelope.id, change)
        adapter.owed.add(record_id)
        await mirror_duplicates(adapter, record_id)

    return handle


async def record_of(adapter: Adapter, answer: CaseRegistered | CaseUpdated | CaseClosed) -> str:
    ref = getattr(answer, "external_ref", None)
    if ref:
        return str(ref)
    found = await adapter.stores.where({"case_id": answer.case_id, "duplicate_of": None})
    if not found:
        raise Rejected(f"case {answer.case_id} came from no platform event of ours")
    return found[0].id


async def mirror_duplicates(adapter: Adapter, original_id: str) -> None:
    original = await adapter.stores.records.get(original_id)
    for duplicate in await adapter.stores.where({"duplicate_of": original_id}):
        if hub.mirror(duplicate, original):
            await adapter.stores.records.save(duplicate)
            adapter.owed.add(duplicate.id)


async def on_notice(envelope: Envelope) -> None:
    log.info("the hub sent %s about %s", envelope.type, envelope.subject)
