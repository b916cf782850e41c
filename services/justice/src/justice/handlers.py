"""The office's service layer for mediations: keyword-only async functions that load a record,
apply one step of the domain, and save it with the notices the step owes the hub and the court,
in one commit. On a concurrent change the step is judged again on the fresh state.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fengqiao.aggregate import Aggregate
from fengqiao.clock import now_utc
from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.storage import Repository, retry_on_conflict
from justice.adapters import documents
from justice.adapters.agreement_document import render_agreement
from justice.adapters.store import Stores
from justice.domain import drafting, numbering, steps
from justice.domain.choice import choose, override
from justice.domain.confirmation import Court
from justice.domain.directory import Directory
from justice.domain.drafting import AgreementDraft
from justice.domain.errors import AgreementNotFound
from justice.domain.mediation import Mediation
from justice.domain.reception import Application, from_application
from justice.domain.workload import open_cases
from justice.settings import JusticeSettings

A = TypeVar("A", bound=Aggregate)


@dataclass
class Office:
    """What every handler needs: the stores, the directory, the agency id and the settings."""

    stores: Stores
    directory: Directory
    agency: str
    settings: JusticeSettings

    @property
    def court(self) -> Court:
        s = self.settings
        return Court(
            agency=s.court_agency,
            accept_within=s.court_accept_within,
            decide_within=s.court_decide_within,
        )

    def outgoing(
        self, record_id: str, notices: Sequence[Notice], cause: str | None
    ) -> list[OutboxMessage]:
        return notices_out(self.agency, notices, about=record_id, cause=cause)


async def change(
    office: Office,
    repository: Repository[A],
    record_id: str,
    step: Callable[[A], Sequence[Notice] | None],
    *,
    attempts: int = 10,
) -> A:
    """Apply ``step`` to the latest state and save it with its notices; on a concurrent change,
    reload and judge again. A refused step raises before anything is saved."""

    async def attempt() -> A:
        record = await repository.get(record_id)
        notices = list(step(record) or ())
        return await repository.save(record, office.outgoing(record.id, notices, None))

    return await retry_on_conflict(attempt, what=record_id, attempts=attempts)


async def current_load(office: Office) -> dict[str, int]:
    """在办件数 by mediator, from the open mediations in the store."""
    return open_cases(await office.stores.open_mediations())


async def register(office: Office, *, application: Application, by: str) -> Mediation:
    """当事人申请调解: a walk-in, the office's own mediation (no hub order)."""
    mediation = from_application(uuid.uuid4().hex[:20], application, by=by, now=now_utc())
    return await office.stores.mediations.add(mediation)


async def accept(
    office: Office,
    *,
    mediation_id: str,
    by: str,
    mediator_id: str | None = None,
    reason: str | None = None,
) -> Mediation:
    """受理: committee and mediator chosen by field, place and load, or the named mediator."""
    # The load is read once: a choice racing another may seat one case over a capacity, which
    # the office can rebalance; it never loses a mediation.
    load = await current_load(office)

    def step(m: Mediation) -> list[Notice]:
        if mediator_id is None:
            chosen = choose(
                office.directory, field=m.field, location=m.location, load=load, unit=m.unit
            )
        else:
            chosen = override(
                office.directory,
                mediator_id=mediator_id,
                reason=reason or "",
                field=m.field,
                location=m.location,
                load=load,
                unit=m.unit,
            )
        return steps.accept(m, chosen, by=by, now=now_utc())

    return await change(office, office.stores.mediations, mediation_id, step)


async def record_agreement(
    office: Office,
    *,
    mediation_id: str,
    text: AgreementDraft,
    by: str,
    ask_confirmation: bool,
) -> Mediation:
    """达成协议: checked, numbered, rendered and filed, then recorded with what it owes."""
    now = now_utc()
    mediation = await office.stores.mediations.get(mediation_id)
    draft = drafting.draft(mediation, text, now=now)  # refusals before a number is taken
    assert mediation.choice is not None  # drafting refuses a mediation without one
    year = numbering.year_of(now)
    n = await office.stores.counters.take(numbering.AGREEMENT_COUNTER, year)
    number = numbering.agreement_number(office.settings.agreement_prefix, year, n)
    agreement = drafting.numbered(draft, number)
    data = render_agreement(
        agreement,
        committee_name=mediation.choice.committee_name,
        mediator_name=mediation.choice.mediator_name,
    )
    await documents.file_document(office.stores, mediation_id, number, data)
    filed = agreement.model_copy(
        update={"document": documents.agreement_ref(mediation_id, number, data)}
    )
    return await change(
        office,
        office.stores.mediations,
        mediation_id,
        lambda m: steps.agree(
            m, filed, by=by, now=now_utc(), ask_confirmation=ask_confirmation, court=office.court
        ),
    )


async def agreement_document(office: Office, *, mediation_id: str) -> tuple[Mediation, bytes]:
    """协议书: the filed DOCX of the mediation's agreement; AgreementNotFound without one."""
    mediation = await office.stores.mediations.get(mediation_id)
    agreement = mediation.agreement
    if agreement is None or agreement.document is None:
        raise AgreementNotFound(f"mediation {mediation_id} has no agreement document")
    data = await documents.filed_document(
        office.stores, mediation_id, agreement.number, agreement.document
    )
    return mediation, data
