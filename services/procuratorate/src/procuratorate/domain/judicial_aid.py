"""司法救助: state judicial aid to people a case left in hardship, after the procuratorate's
rules (人民检察院国家司法救助工作细则): the eligibility grounds and the exclusions are checks the
reviewer ticks; the amount is capped at 36 months of the local average monthly wage.

submitted → under review → granted | denied. ``aid_review`` holds the steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from pydantic import Field

from fengqiao.contracts.codes import CodeList
from fengqiao.contracts.events import Party
from procuratorate.domain.workflow import Workflow

MONTHLY_WAGE = Decimal(7000)  # 上一年度职工月平均工资 (CNY); set per jurisdiction
CAP_MONTHS = 36
DEFAULT_CAP = CAP_MONTHS * MONTHLY_WAGE


class Relation(CodeList):
    """The applicant's relation to the case."""

    VICTIM = ("victim", "被害人", "victim")
    CLOSE_RELATIVE = ("close_relative", "近亲属", "close relative of the victim")
    DEPENDANT = ("dependant", "被赡养、扶养、抚养人", "dependant of the victim")
    INFORMANT_WITNESS = (
        "informant_witness",
        "举报人、证人、鉴定人",
        "informant, witness or expert",
    )
    OTHER = ("other", "其他", "other")


class Ground(CodeList):
    """救助情形: the cases in which aid may be granted."""

    VICTIM_SERIOUS_INJURY = (
        "victim_serious_injury",
        "被害人受犯罪侵害致重伤或严重残疾, 无法通过诉讼获得赔偿, 生活困难",
        "a victim seriously injured or disabled, without compensation, in hardship",
    )
    VICTIM_URGENT_TREATMENT = (
        "victim_urgent_treatment",
        "被害人受犯罪侵害危及生命, 急需救治, 无力承担医疗费用",
        "a victim whose life is at risk, in urgent need of treatment they cannot pay for",
    )
    VICTIM_PROPERTY_LOSS = (
        "victim_property_loss",
        "被害人受犯罪侵害致财产重大损失, 无法通过诉讼获得赔偿, 生活困难",
        "a victim with heavy property loss, without compensation, in hardship",
    )
    DECEASED_VICTIM_DEPENDANTS = (
        "deceased_victim_dependants",
        "被害人死亡, 依靠其收入生活的近亲属或被扶养人无法获得赔偿, 生活困难",
        "relatives or dependants of a deceased victim who relied on them, in hardship",
    )
    RETALIATION = (
        "retaliation",
        "举报人、证人、鉴定人因举报、作证、鉴定受打击报复致伤或财产重大损失, 生活困难",
        "an informant, witness or expert harmed in retaliation, in hardship",
    )
    TORT_INJURY = (
        "tort_injury",
        "因道路交通事故等民事侵权致人身伤害, 无法通过诉讼获得赔偿, 生活困难",
        "injured by a civil wrong (e.g. a road accident), without compensation, in hardship",
    )
    OTHER_NEED = (
        "other_need",
        "检察院认为需要救助的其他人员",
        "others the procuratorate finds in need",
    )


class Exclusion(CodeList):
    """不予救助情形: any one of these refuses aid whatever the ground."""

    AT_FAULT = ("at_fault", "对案件发生有重大过错", "seriously at fault for the case")
    REFUSED_COOPERATION = (
        "refused_cooperation",
        "无正当理由拒绝配合查明案件事实",
        "refused without good reason to help establish the facts",
    )
    FALSE_STATEMENT = (
        "false_statement",
        "故意作虚伪陈述或伪造证据, 妨害诉讼",
        "lied or forged evidence, obstructing the proceedings",
    )
    COMPENSATED = (
        "compensated",
        "已获得赔偿, 生活困难已经缓解",
        "compensated already; the hardship has eased",
    )
    OTHER_RELIEF = (
        "other_relief",
        "已通过社会救助得到合理补偿、救助",
        "already relieved adequately by social assistance",
    )


class AidStatus(CodeList):
    SUBMITTED = ("submitted", "已申请", "submitted")
    UNDER_REVIEW = ("under_review", "审查中", "under review")
    GRANTED = ("granted", "决定救助", "granted")
    DENIED = ("denied", "不予救助", "denied")


S = AidStatus
ALLOWED: dict[AidStatus, frozenset[AidStatus]] = {
    S.SUBMITTED: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.GRANTED, S.DENIED}),
    S.GRANTED: frozenset(),
    S.DENIED: frozenset(),
}


class AidApplication(Workflow[AidStatus]):
    """司法救助申请: who applies, their relation to the case, the harm and the hardship."""

    case_id: str | None = None
    applicant: Party
    relation: Relation
    harm: str = Field(min_length=1, max_length=5000, description="受到的损害")
    hardship: str = Field(min_length=1, max_length=5000, description="生活困难情况")
    amount_requested: Decimal = Field(gt=0, decimal_places=2, description="CNY")
    status: AidStatus = S.SUBMITTED
    submitted_at: datetime
    reviewer: str | None = None
    grounds: list[Ground] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    amount_granted: Decimal | None = None
    decided_at: datetime | None = None
    denial_reason: str | None = None

    def table(self) -> Mapping[AidStatus, frozenset[AidStatus]]:
        return ALLOWED
