"""法律援助申请: who may have a lawyer paid for by the state, and the application's record.

submitted → approved | denied (with the reason) → lawyer assigned → closed (with the result).
The means test (经济困难审查) compares the household's monthly income per person with a
threshold (default CNY 2,300, Jiangmen's minimum-wage band, as Guangdong sets the difficulty
line at the local minimum wage); an income at the threshold still qualifies. The special
grounds below skip the means test (免予核查经济困难状况, 法律援助法 第三十二、四十二条).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from fengqiao import workflow
from fengqiao.contracts.codes import Category, CodeList
from fengqiao.contracts.events import Party
from justice.domain.errors import IllegalTransition, InvalidRequest, TimeOutOfOrder
from justice.domain.fields import CommitteeField

DEFAULT_THRESHOLD = Decimal("2300")


class SpecialGround(CodeList):
    MINOR = ("minor", "未成年人", "minor")
    DISABLED = ("disabled", "残疾人", "person with a disability")
    ELDERLY_WITHOUT_SUPPORT = (
        "elderly_without_support",
        "无固定生活来源的60岁以上老年人",
        "elderly person over 60 without support",
    )
    MIGRANT_WAGE = ("migrant_wage", "农民工讨薪", "migrant worker claiming wages")
    DOMESTIC_VIOLENCE = ("domestic_violence", "家庭暴力受害人", "victim of domestic violence")
    WORK_INJURY = ("work_injury", "工伤赔偿", "work-injury compensation claim")


class LegalAidStatus(CodeList):
    SUBMITTED = ("submitted", "已申请", "submitted")
    APPROVED = ("approved", "准予援助", "approved")
    DENIED = ("denied", "不予援助", "denied")
    LAWYER_ASSIGNED = ("lawyer_assigned", "已指派律师", "lawyer assigned")
    CLOSED = ("closed", "已结案", "closed")


A = LegalAidStatus
ALLOWED: dict[LegalAidStatus, frozenset[LegalAidStatus]] = {
    A.SUBMITTED: frozenset({A.APPROVED, A.DENIED}),
    A.APPROVED: frozenset({A.LAWYER_ASSIGNED}),
    A.LAWYER_ASSIGNED: frozenset({A.CLOSED}),
    A.DENIED: frozenset(),
    A.CLOSED: frozenset(),
}


class Eligibility(BaseModel):
    """审查结论: eligible or not, whether the means test was applied, and why."""

    model_config = ConfigDict(frozen=True)

    eligible: bool
    means_tested: bool
    reason: str


def assess(
    income_per_person: Decimal,
    grounds: Iterable[SpecialGround] = (),
    *,
    threshold: Decimal = DEFAULT_THRESHOLD,
) -> Eligibility:
    """经济困难审查: a special ground qualifies outright; else income ≤ threshold qualifies."""
    if income_per_person < 0 or threshold < 0:
        raise InvalidRequest("income and threshold are amounts of money: not negative")
    exempt = sorted(set(grounds), key=list(SpecialGround).index)
    if exempt:
        names = "、".join(g.zh for g in exempt)
        return Eligibility(eligible=True, means_tested=False, reason=f"免予经济困难审查：{names}")
    if income_per_person <= threshold:
        why = f"家庭人均月收入{income_per_person}元，不超过{threshold}元"
        return Eligibility(eligible=True, means_tested=True, reason=why)
    why = f"家庭人均月收入{income_per_person}元，超过经济困难标准{threshold}元"
    return Eligibility(eligible=False, means_tested=True, reason=why)


class Entry(workflow.Entry[LegalAidStatus]):
    """One step on the application's record: when, who, and what happened."""


class LegalAidApplication(workflow.Workflow[LegalAidStatus]):
    """法律援助申请: one applicant's request for a lawyer in one matter."""

    illegal_transition = IllegalTransition
    time_out_of_order = TimeOutOfOrder
    entry_type = Entry

    applicant: Party
    matter: str = Field(min_length=1, max_length=2000, description="援助事项")
    category: Category
    field: CommitteeField
    income_per_person: Decimal = Field(ge=0, description="家庭人均月收入, CNY")
    household_size: int = Field(ge=1, le=50, description="家庭人口")
    grounds: list[SpecialGround] = Field(default_factory=list)
    status: LegalAidStatus = A.SUBMITTED
    submitted_at: datetime
    eligibility: Eligibility | None = None
    denial_reason: str | None = None
    lawyer_id: str | None = None
    lawyer_name: str | None = None
    result: str | None = None
    closed_at: datetime | None = None
    # Its own Entry, so the API's schema keeps its name; a list is invariant, hence the ignore.
    history: list[Entry] = Field(default_factory=list)  # type: ignore[assignment]

    def table(self) -> Mapping[LegalAidStatus, frozenset[LegalAidStatus]]:
        return ALLOWED

    def named(self) -> str:
        return f"legal-aid application {self.id}"

    def began_at(self) -> datetime:
        return self.submitted_at
