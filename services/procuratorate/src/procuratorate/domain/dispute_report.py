"""矛盾纠纷信息报送: dispute information the procuratorate collects (at its 12309 service
center, in its offices in the towns) is reported to the hub as ``case.reported``, and the
procuratorate keeps each report it sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field, ValidationError

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import Category, Channel, Severity
from fengqiao.contracts.events import CaseReported, Location, Party
from fengqiao.contracts.orders import HUB, Notice
from procuratorate.domain.errors import InvalidRequest
from procuratorate.domain.workflow import require_aware, require_text


class DisputeReport(Aggregate):
    """矛盾纠纷信息报送: a report sent to the hub, kept under its external_ref so a
    resubmission is recognised and not sent twice."""

    external_ref: str
    report: CaseReported
    hub: str = Field(description="agency id of the hub it went to")
    reported_by: str
    sent_at: datetime
    category: str = Field(description="the report's category, kept flat for filtering")


def report_dispute(
    *,
    external_ref: str,
    category: Category,
    title: str,
    description: str,
    location: Location,
    reported_at: datetime,
    now: datetime,
    severity: Severity = Severity.GENERAL,
    parties: Sequence[Party] = (),
    emergency: bool = False,
) -> Notice:
    """报送纠纷线索: the event the hub registers; refused (422) when it could not be acted on."""
    problems = _problems(external_ref, title, location, reported_at, now)
    if problems:
        raise InvalidRequest("dispute report: " + "; ".join(problems))
    try:
        event = CaseReported(
            external_ref=external_ref.strip(),
            channel=Channel.PROCURATORATE,
            category=category,
            severity=severity,
            title=title.strip(),
            description=description.strip(),
            location=location,
            parties=list(parties),
            reported_at=reported_at,
            emergency=emergency,
        )
    except ValidationError as error:
        raise InvalidRequest(f"dispute report: {error}") from error
    return Notice(HUB, event)


def _problems(
    external_ref: str, title: str, location: Location, reported_at: datetime, now: datetime
) -> list[str]:
    """Every fault, so the clerk corrects the form once."""
    problems = []
    for what, text in (("external_ref", external_ref), ("title", title)):
        try:
            require_text(text, what)
        except InvalidRequest as error:
            problems.append(str(error))
    # The hub routes by place: a report it cannot place goes nowhere.
    placed = location.model_dump(exclude_none=True)
    if not placed.keys() - {"city", "county"}:
        problems.append("the location needs a town, village, grid, address or coordinates")
    try:
        require_aware(reported_at, "reported_at")
    except InvalidRequest as error:
        problems.append(str(error))
    else:
        if reported_at > now:
            problems.append(f"reported_at {reported_at.isoformat()} is in the future")
    return problems
