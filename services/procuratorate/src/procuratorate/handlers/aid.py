"""司法救助: an application is numbered in sequence once its rules are met, so a refusal takes
no number and saves nothing. Its review goes through ``steps.change``."""

from __future__ import annotations

from decimal import Decimal

from fengqiao.contracts.events import Party
from procuratorate.bootstrap import Procuratorate
from procuratorate.domain import aid_review
from procuratorate.domain.judicial_aid import AidApplication, Relation
from procuratorate.handlers.steps import PENDING


async def submit_aid(
    proc: Procuratorate,
    *,
    applicant: Party,
    relation: Relation,
    harm: str,
    hardship: str,
    amount_requested: Decimal,
    case_id: str | None,
) -> AidApplication:
    """司法救助申请, on a supervision case (which must exist) or on its own."""
    if case_id is not None:
        await proc.stores.cases.get(case_id)
    now = proc.clock()
    application = aid_review.submit(
        PENDING,
        applicant=applicant,
        relation=relation,
        harm=harm,
        hardship=hardship,
        amount_requested=amount_requested,
        now=now,
        case_id=case_id,
    )
    application.id = await proc.numbered("JZ", now)
    return await proc.stores.aid.add(application)
