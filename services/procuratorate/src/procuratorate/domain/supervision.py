"""监督案件: a hub referral the procuratorate supervises — administrative enforcement, or a
public-interest field (environment and resources, food and drug safety, work safety).

received → accepted → investigating → suggestion issued → replied → closed; a case where the
investigation finds no violation closes straight from investigating; a referral not yet
accepted may be returned (退回) to the hub. ``supervising`` holds the steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import Field

from fengqiao.contracts.codes import Action, Category, CodeList, Outcome, Severity
from fengqiao.contracts.events import Location, Party
from fengqiao.contracts.orders import Order
from procuratorate.domain.errors import NotSupervisable, UnsupportedAction
from procuratorate.domain.workflow import Workflow


class SupervisionField(CodeList):
    ADMINISTRATIVE_ENFORCEMENT = (
        "administrative_enforcement",
        "行政执法监督",
        "supervision of administrative enforcement",
    )
    ENVIRONMENT = (
        "environment",
        "生态环境和资源保护",
        "public interest: environment and resources",
    )
    FOOD_DRUG = ("food_drug", "食品药品安全", "public interest: food and drug safety")
    WORK_SAFETY = ("work_safety", "安全生产", "public interest: work safety")


FIELDS: dict[Category, SupervisionField] = {
    Category.ADMINISTRATIVE_ENFORCEMENT: SupervisionField.ADMINISTRATIVE_ENFORCEMENT,
    Category.ENVIRONMENT: SupervisionField.ENVIRONMENT,
    Category.FOOD_DRUG: SupervisionField.FOOD_DRUG,
    Category.WORK_SAFETY: SupervisionField.WORK_SAFETY,
}
# 监督 is the procuratorate's own action; 办理 is the hub's generic "handle it" order.
SUPERVISION_ACTIONS = frozenset({Action.SUPERVISE, Action.HANDLE})


def field_for(category: Category) -> SupervisionField:
    """监督领域: the field a referral's category falls in; other categories are refused."""
    found = FIELDS.get(category)
    if found is None:
        fields = "、".join(f.zh for f in SupervisionField)
        raise NotSupervisable(
            f"{category.zh} ({category.value}) is not in a supervised field: {fields}"
        )
    return found


def check_action(action: Action) -> None:
    """Refuse an order to do what the procuratorate does not do on referral (e.g. mediate)."""
    if action not in SUPERVISION_ACTIONS:
        allowed = ", ".join(sorted(a.value for a in SUPERVISION_ACTIONS))
        raise UnsupportedAction(f"the procuratorate does not {action.value} on referral; {allowed}")


class SupervisionStatus(CodeList):
    RECEIVED = ("received", "已接收", "received")
    ACCEPTED = ("accepted", "已受理", "accepted")
    INVESTIGATING = ("investigating", "调查核实中", "under investigation")
    SUGGESTION_ISSUED = ("suggestion_issued", "已发检察建议", "suggestion issued")
    REPLIED = ("replied", "部门已回复", "department replied")
    CLOSED = ("closed", "已办结", "closed")
    RETURNED = ("returned", "已退回", "returned to the hub")


S = SupervisionStatus
ALLOWED: dict[SupervisionStatus, frozenset[SupervisionStatus]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.RETURNED}),
    S.ACCEPTED: frozenset({S.INVESTIGATING}),
    S.INVESTIGATING: frozenset({S.SUGGESTION_ISSUED, S.CLOSED}),
    S.SUGGESTION_ISSUED: frozenset({S.REPLIED}),
    S.REPLIED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.RETURNED: frozenset(),
}


class Finding(CodeList):
    """What the supervision found at closure; it decides the outcome told to the hub."""

    NO_VIOLATION = ("no_violation", "未发现违法情形", "no violation found")
    RECTIFIED = ("rectified", "部门已整改", "the department rectified")
    NOT_RECTIFIED = ("not_rectified", "部门未整改", "the department did not rectify")


OUTCOMES: dict[Finding, Outcome] = {
    # No violation: the referral is answered by the supervision itself.
    Finding.NO_VIOLATION: Outcome.RESOLVED,
    Finding.RECTIFIED: Outcome.RESOLVED,
    Finding.NOT_RECTIFIED: Outcome.UNRESOLVED,
}


class SupervisionCase(Workflow[SupervisionStatus]):
    """监督案件: one hub referral under supervision; ``order`` is what answers go back on."""

    order: Order
    field: SupervisionField
    category: Category
    severity: Severity
    title: str
    summary: str
    location: Location
    parties: list[Party] = Field(default_factory=list)
    status: SupervisionStatus = S.RECEIVED
    received_at: datetime
    accepted_at: datetime | None = None
    handler: str | None = Field(default=None, description="承办检察官")
    suggestion_id: str | None = None
    reply: str | None = Field(default=None, description="the department's reply, as recorded")
    rectified: bool | None = None
    closed_at: datetime | None = None
    finding: Finding | None = None
    outcome: Outcome | None = None
    closing_summary: str | None = None
    return_reason_code: str | None = None
    return_reason: str | None = None

    def table(self) -> Mapping[SupervisionStatus, frozenset[SupervisionStatus]]:
        return ALLOWED
