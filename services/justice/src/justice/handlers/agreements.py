"""The mediation agreement (人民调解协议书): checked, numbered, rendered, filed and recorded with
what it owes; and the filed document read back."""

from __future__ import annotations

from fengqiao.clock import now_utc
from justice.adapters import documents
from justice.adapters.agreement_document import render_agreement
from justice.bootstrap import Office
from justice.domain import drafting, numbering, steps
from justice.domain.drafting import AgreementDraft
from justice.domain.errors import AgreementNotFound
from justice.domain.mediation import Mediation
from justice.handlers.changes import change


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
