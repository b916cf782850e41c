"""Legal aid (法律援助): applications of the office's own, owing nothing to other agencies."""

from __future__ import annotations

import uuid

from fengqiao.clock import now_utc
from justice.bootstrap import Office
from justice.domain import legal_aid_steps
from justice.domain.legal_aid import LegalAidApplication, LegalAidStatus
from justice.domain.legal_aid_steps import AidRequest
from justice.handlers.changes import change


async def submit(office: Office, *, request: AidRequest, by: str) -> LegalAidApplication:
    """申请法律援助: registered as submitted."""
    app = legal_aid_steps.submit(uuid.uuid4().hex[:20], request, by=by, now=now_utc())
    return await office.stores.legal_aid.add(app)


async def review(
    office: Office, *, application_id: str, by: str, deny_reason: str | None
) -> LegalAidApplication:
    """审查: by the means test and grounds, or denied on other grounds with the reason given."""

    def step(app: LegalAidApplication) -> None:
        if deny_reason is not None:
            legal_aid_steps.deny(app, reason=deny_reason, by=by, now=now_utc())
        else:
            threshold = office.settings.legal_aid_threshold
            legal_aid_steps.review(app, by=by, now=now_utc(), threshold=threshold)

    return await change(office, office.stores.legal_aid, application_id, step)


async def lawyer_load(office: Office) -> dict[str, int]:
    """在办件数 by lawyer: applications with a lawyer, not yet closed."""
    assigned = {"status": LegalAidStatus.LAWYER_ASSIGNED.value}
    return legal_aid_steps.open_cases_by_lawyer(await office.stores.legal_aid_where(assigned))


async def assign_lawyer(
    office: Office, *, application_id: str, by: str, lawyer_id: str | None
) -> LegalAidApplication:
    """指派律师: the named lawyer, or the best-fitting one with room."""
    load = await lawyer_load(office)

    def step(app: LegalAidApplication) -> None:
        lawyer = legal_aid_steps.choose_lawyer(
            office.directory.lawyers, field=app.field, load=load, lawyer_id=lawyer_id
        )
        legal_aid_steps.assign_lawyer(app, lawyer, by=by, now=now_utc())

    return await change(office, office.stores.legal_aid, application_id, step)


async def close(
    office: Office, *, application_id: str, by: str, result: str
) -> LegalAidApplication:
    """结案: the result of the lawyer's work."""
    return await change(
        office,
        office.stores.legal_aid,
        application_id,
        lambda app: legal_aid_steps.close(app, result=result, by=by, now=now_utc()),
    )
