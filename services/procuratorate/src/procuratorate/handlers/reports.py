"""矛盾纠纷信息报送: a dispute report to the hub, kept under its external_ref and sent once."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from fengqiao.contracts.codes import Category, Severity
from fengqiao.contracts.events import Location, Party
from fengqiao.contracts.orders import Notice
from fengqiao.storage import ConcurrencyError
from procuratorate.bootstrap import Procuratorate
from procuratorate.domain.dispute_report import DisputeReport, report_dispute


def report_id_for(external_ref: str) -> str:
    """One external reference, one report: a resubmission finds the first one."""
    return hashlib.sha256(external_ref.strip().encode()).hexdigest()[:20]


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
