"""Handlers that create a record at a staff member's request: a public hearing, a judicial-aid
application (numbered in sequence once its rules are met, so a refusal takes no number and saves
nothing), and a dispute report to the hub (kept under its external_ref, sent once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from fengqiao.contracts.codes import Category, Severity
from fengqiao.contracts.events import Location, Party
from fengqiao.contracts.orders import Notice
from fengqiao.storage import ConcurrencyError
from procuratorate.adapters.store import DisputeReport
from procuratorate.domain import aid_review, hearings
from procuratorate.domain.dispute_report import report_dispute
from procuratorate.domain.hearing import Hearing, Participant
from procuratorate.domain.judicial_aid import AidApplication, Relation
from procuratorate.handlers import PENDING, Procuratorate, report_id_for


async def schedule_hearing(
    proc: Procuratorate,
    *,
    subject: str,
    at: datetime,
    place: str,
    participants: Sequence[Participant],
    by: str,
    case_id: str | None,
) -> Hearing:
    """安排公开听证, on a supervision case (which must exist) or standalone."""
    if case_id is not None:
        await proc.stores.cases.get(case_id)
    now = proc.clock()
    hearing = hearings.schedule(
        PENDING,
        subject=subject,
        at=at,
        place=place,
        participants=participants,
        by=by,
        now=now,
        case_id=case_id,
        min_officers=proc.settings.hearing_min_officers,
    )
    hearing.id = await proc.numbered("TZ", now)
    return await proc.stores.hearings.add(hearing)


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


async def report_to_hub(
    proc: Procuratorate,
    *,
    external_ref: str,
    category: Category,
    title: str,
    description: str,
    location: Location,
    reported_at: datetime | None,
    severity: Severity,
    parties: Sequence[Party],
    emergency: bool,
    by: str,
) -> tuple[DisputeReport, bool]:
    """报送纠纷线索 to the hub; (the report, True) when sent now, (the first one, False) when
    this external_ref was reported before: the first report stands and nothing is sent again."""
    report_id = report_id_for(external_ref)
    first = await proc.stores.reports.find(report_id)
    if first is not None:
        return first, False
    now = proc.clock()
    notice = report_dispute(
        external_ref=external_ref,
        category=category,
        title=title,
        description=description,
        location=location,
        reported_at=reported_at or now,
        now=now,
        severity=severity,
        parties=parties,
        emergency=emergency,
    )
    hub = proc.settings.hub_agency
    report = DisputeReport(
        id=report_id,
        external_ref=external_ref.strip(),
        report=notice.data,
        hub=hub,
        reported_by=by,
        sent_at=now,
        category=category.value,
    )
    events = proc.outgoing(report_id, [Notice(hub, notice.data)], None)
    try:
        return await proc.stores.reports.add(report, events), True
    except ConcurrencyError:  # the same report submitted twice at once: the other one went
        return await proc.stores.reports.get(report_id), False
