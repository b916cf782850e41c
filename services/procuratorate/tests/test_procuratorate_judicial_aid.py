"""Judicial aid (司法救助): application, review with ticked grounds and exclusions, and a
decision within the cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from fengqiao.contracts.events import Party
from procuratorate.domain import aid_review
from procuratorate.domain.errors import (
    AidAboveCap,
    IllegalTransition,
    InvalidRequest,
    NoEligibleGround,
)
from procuratorate.domain.judicial_aid import (
    ALLOWED,
    DEFAULT_CAP,
    AidApplication,
    AidStatus,
    Exclusion,
    Ground,
    Relation,
)

S = AidStatus
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
REVIEWER = "检察官 李明"


def submit(amount: Decimal = Decimal(50_000)) -> AidApplication:
    return aid_review.submit(
        "JZ-1",
        applicant=Party(name="陈阿妹", role="applicant"),
        relation=Relation.CLOSE_RELATIVE,
        harm="丈夫被害身亡",
        hardship="家中唯一劳动力死亡, 两名子女在读, 被告人无赔偿能力",
        amount_requested=amount,
        now=T0,
        case_id="JC-1",
    )


def reviewed(*grounds: Ground, exclusions: tuple[Exclusion, ...] = ()) -> AidApplication:
    application = submit()
    aid_review.start_review(application, reviewer=REVIEWER, now=T0 + HOUR)
    aid_review.tick(
        application, grounds=grounds, exclusions=exclusions, by=REVIEWER, now=T0 + 2 * HOUR
    )
    return application


def test_the_default_cap_is_36_months_of_the_average_wage() -> None:
    assert Decimal(252_000) == DEFAULT_CAP


def test_grant_on_an_eligible_ground_within_the_cap() -> None:
    application = reviewed(Ground.DECEASED_VICTIM_DEPENDANTS)
    aid_review.grant(application, amount=Decimal("60000.50"), by=REVIEWER, now=T0 + 3 * HOUR)
    assert (application.status, application.amount_granted) == (S.GRANTED, Decimal("60000.50"))
    assert [e.status for e in application.history] == [
        S.SUBMITTED, S.UNDER_REVIEW, S.UNDER_REVIEW, S.GRANTED,
    ]  # fmt: skip


def test_grant_exactly_at_the_cap_but_not_above_it() -> None:
    application = reviewed(Ground.VICTIM_SERIOUS_INJURY)
    with pytest.raises(AidAboveCap):
        aid_review.grant(application, amount=DEFAULT_CAP + Decimal("0.01"), by=REVIEWER, now=T0)
    assert (application.status, application.amount_granted) == (S.UNDER_REVIEW, None)
    aid_review.grant(application, amount=DEFAULT_CAP, by=REVIEWER, now=T0 + 3 * HOUR)
    assert application.status is S.GRANTED


def test_the_cap_is_a_parameter() -> None:
    application = reviewed(Ground.VICTIM_SERIOUS_INJURY)
    local_cap = 36 * Decimal(6000)
    with pytest.raises(AidAboveCap):
        aid_review.grant(application, amount=Decimal(220_000), by=REVIEWER, now=T0, cap=local_cap)
    aid_review.grant(application, amount=local_cap, by=REVIEWER, now=T0 + 3 * HOUR, cap=local_cap)
    assert application.amount_granted == Decimal(216_000)


def test_no_grant_without_a_ground() -> None:
    application = reviewed()
    with pytest.raises(NoEligibleGround):
        aid_review.grant(application, amount=Decimal(1000), by=REVIEWER, now=T0 + 3 * HOUR)
    assert application.status is S.UNDER_REVIEW


def test_an_exclusion_refuses_aid_whatever_the_ground() -> None:
    application = reviewed(Ground.VICTIM_PROPERTY_LOSS, exclusions=(Exclusion.COMPENSATED,))
    with pytest.raises(NoEligibleGround, match="已获得赔偿"):
        aid_review.grant(application, amount=Decimal(1000), by=REVIEWER, now=T0 + 3 * HOUR)
    assert application.status is S.UNDER_REVIEW


def test_ticks_replace_the_previous_ones_and_repeat_nothing() -> None:
    application = reviewed(Ground.VICTIM_PROPERTY_LOSS, exclusions=(Exclusion.COMPENSATED,))
    aid_review.tick(
        application,
        grounds=[Ground.TORT_INJURY, Ground.TORT_INJURY],
        by=REVIEWER,
        now=T0 + 3 * HOUR,
    )
    assert (application.grounds, application.exclusions) == ([Ground.TORT_INJURY], [])


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-5), Decimal("10.001"), Decimal("NaN")])
def test_a_bad_amount_is_refused(amount: Decimal) -> None:
    application = reviewed(Ground.VICTIM_URGENT_TREATMENT)
    with pytest.raises(InvalidRequest):
        aid_review.grant(application, amount=amount, by=REVIEWER, now=T0 + 3 * HOUR)
    assert application.status is S.UNDER_REVIEW


def test_deny_with_a_reason() -> None:
    application = reviewed(Ground.OTHER_NEED)
    with pytest.raises(InvalidRequest):
        aid_review.deny(application, reason="  ", by=REVIEWER, now=T0 + 3 * HOUR)
    aid_review.deny(application, reason="已获民事赔偿", by=REVIEWER, now=T0 + 3 * HOUR)
    assert (application.status, application.denial_reason) == (S.DENIED, "已获民事赔偿")


def test_no_decision_before_review_and_none_after_a_decision() -> None:
    application = submit()
    with pytest.raises(IllegalTransition):
        aid_review.grant(application, amount=Decimal(1000), by=REVIEWER, now=T0 + HOUR)
    with pytest.raises(IllegalTransition):
        aid_review.deny(application, reason="x", by=REVIEWER, now=T0 + HOUR)
    with pytest.raises(IllegalTransition):
        aid_review.tick(application, grounds=[Ground.OTHER_NEED], by=REVIEWER, now=T0 + HOUR)
    assert application.status is S.SUBMITTED

    decided = reviewed(Ground.OTHER_NEED)
    aid_review.deny(decided, reason="不符合条件", by=REVIEWER, now=T0 + 3 * HOUR)
    with pytest.raises(IllegalTransition):
        aid_review.grant(decided, amount=Decimal(1000), by=REVIEWER, now=T0 + 4 * HOUR)
    with pytest.raises(IllegalTransition):
        aid_review.start_review(decided, reviewer=REVIEWER, now=T0 + 4 * HOUR)
    assert decided.status is S.DENIED


@pytest.mark.parametrize(
    ("field", "value"),
    [("harm", " "), ("hardship", ""), ("amount_requested", Decimal(0))],
)
def test_an_incomplete_application_is_refused(field: str, value: object) -> None:
    fields: dict[str, object] = {
        "applicant": Party(name="陈阿妹"),
        "relation": Relation.VICTIM,
        "harm": "重伤",
        "hardship": "无力支付医疗费",
        "amount_requested": Decimal(1000),
    } | {field: value}
    with pytest.raises(InvalidRequest):
        aid_review.submit("JZ-2", now=T0, **fields)  # type: ignore[arg-type]


def test_table() -> None:
    assert ALLOWED[S.SUBMITTED] == {S.UNDER_REVIEW}
    assert ALLOWED[S.UNDER_REVIEW] == {S.GRANTED, S.DENIED}
    assert ALLOWED[S.GRANTED] == frozenset() == ALLOWED[S.DENIED]
