"""Patrol reports (事件上报) from a worker's phone: what was found, where, with photos' metadata.

A report is either resolved on the spot (现场办结), recorded with its result and still told to the
hub so the on-the-spot share can be counted, or escalated to the hub (上报综治中心) as
``case.reported``. "微事不出格": the default is to resolve in the grid; escalating needs a reason,
and some matters (theft, work safety, petitions, anything urgent) are advised up at once.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fengqiao.aggregate import Aggregate
from fengqiao.contracts.codes import Category, Channel, CodeList, Outcome, Severity
from fengqiao.contracts.events import CaseReported, Location, OnTheSpot
from grid.domain.duty import grid_of
from grid.domain.errors import DomainError, IllegalTransition, NotAssignee
from grid.domain.people import GRID_WORKERS, Role, Worker
from grid.domain.territory import Territory

GRID_STAFF = GRID_WORKERS | {Role.GRID_HEAD}
MAX_PHOTOS = 9  # what the phone app lets a worker attach to one report
MAX_PHOTO_BYTES = 20 * 1024 * 1024
# Matters beyond a grid worker's powers: the police, a department or the hub must act.
BEYOND_THE_GRID = frozenset(
    {
        Category.THEFT,
        Category.PUBLIC_ORDER,
        Category.WORK_SAFETY,
        Category.FOOD_DRUG,
        Category.ENVIRONMENT,
        Category.ILLEGAL_AQUACULTURE,
        Category.ADMINISTRATIVE_ENFORCEMENT,
        Category.PETITION,
    }
)


class Photo(BaseModel):
    """A photo's metadata; the bytes live in object storage under their sha256."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    size: int = Field(gt=0, le=MAX_PHOTO_BYTES)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    taken_at: datetime
    media_type: str = Field(default="image/jpeg", pattern=r"^image/[a-z0-9.+-]+$")

    @field_validator("taken_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.utcoffset() is None:
            raise ValueError("taken_at needs a time zone")
        return value


class ReportStatus(CodeList):
    REPORTED = ("reported", "已上报", "reported, to be disposed")
    RESOLVED = ("resolved", "现场办结", "resolved on the spot")
    ESCALATED = ("escalated", "已上报综治中心", "escalated to the hub")


class Disposal(CodeList):
    IN_GRID = ("in_grid", "微事不出格: 网格内办结", "resolve in the grid")
    TO_HUB = ("to_hub", "上报综治中心", "escalate to the hub")


class PatrolReport(Aggregate):
    grid: str
    reporter: str
    category: Category
    description: str = Field(min_length=1, max_length=10_000)
    location: Location
    photos: list[Photo] = Field(default_factory=list, max_length=MAX_PHOTOS)
    urgent: bool = False
    reported_at: datetime
    status: ReportStatus = ReportStatus.REPORTED
    outcome: Outcome | None = None
    result: str | None = None
    handled_by: str | None = Field(default=None, description="worker who disposed of it")
    handler: str | None = Field(default=None, description="their label, as the hub sees it")
    closed_at: datetime | None = None
    escalation_reason: str | None = None

    def advice(self) -> tuple[Disposal, str]:
        """The advised disposal and why (zh): "微事不出格" unless the matter is beyond the grid."""
        if self.urgent:
            return Disposal.TO_HUB, "紧急事件, 立即上报"
        if self.category in BEYOND_THE_GRID:
            return Disposal.TO_HUB, f"{self.category.zh}超出网格处置权限"
        return Disposal.IN_GRID, "微事不出格, 网格内现场办结"


def file_report(
    *,
    report_id: str,
    reporter: Worker,
    category: Category,
    description: str,
    location: Location,
    photos: list[Photo],
    urgent: bool,
    territory: Territory,
    now: datetime,
) -> PatrolReport:
    """A new report; the grid is the one holding the location, whoever's patrol found it."""
    _require_grid_role(reporter)
    grid = grid_of(location, territory)
    return PatrolReport(
        id=report_id,
        grid=grid.code,
        reporter=reporter.id,
        category=category,
        description=description,
        location=territory.location(grid.code, lon=location.lon, lat=location.lat).model_copy(
            update={"address": location.address}
        ),
        photos=photos,
        urgent=urgent,
        reported_at=now,
    )


def resolve_on_spot(
    report: PatrolReport,
    *,
    worker: Worker,
    result: str,
    now: datetime,
    outcome: Outcome = Outcome.RESOLVED,
) -> CaseReported:
    """现场办结: recorded here and told to the hub as an already settled case, to be counted."""
    _require_open(report, worker)
    if not result.strip():
        raise DomainError("an on-the-spot resolution needs its result")
    report.status, report.outcome, report.result = ReportStatus.RESOLVED, outcome, result
    report.handled_by, report.handler, report.closed_at = worker.id, worker.label, now
    settled = OnTheSpot(at=now, outcome=outcome, summary=result, handler=worker.label)
    return _to_hub(report, resolved=settled)


def escalate(report: PatrolReport, *, worker: Worker, reason: str, now: datetime) -> CaseReported:
    """上报综治中心: leaves the grid, so it needs a reason even when the advice says so too."""
    _require_open(report, worker)
    if not reason.strip():
        raise DomainError("escalating a report needs a reason (微事不出格 is the default)")
    report.status, report.escalation_reason = ReportStatus.ESCALATED, reason
    report.handled_by, report.handler, report.closed_at = worker.id, worker.label, now
    return _to_hub(report, resolved=None)


def _require_grid_role(worker: Worker) -> None:
    if worker.role not in GRID_STAFF:
        raise NotAssignee(f"{worker.id} is a {worker.role.value}: grid staff report and dispose")


def _require_open(report: PatrolReport, worker: Worker) -> None:
    _require_grid_role(worker)
    if report.status is not ReportStatus.REPORTED:
        raise IllegalTransition(f"report {report.id} is {report.status.value} already")


def _to_hub(report: PatrolReport, *, resolved: OnTheSpot | None) -> CaseReported:
    return CaseReported(
        external_ref=report.id,
        channel=Channel.GRID,
        category=report.category,
        # The hub assesses for itself; a settled matter was simple by definition.
        severity=Severity.SIMPLE if resolved else Severity.GENERAL,
        title=f"网格上报: {report.category.zh}",
        description=report.description
        + (f"\n上报理由: {report.escalation_reason}" if report.escalation_reason else ""),
        location=report.location,
        reported_at=report.reported_at,
        emergency=report.urgent,
        resolved_on_the_spot=resolved,
    )
