"""Legal aid (法律援助): the means test and each exemption, the application's steps, and the
choice of lawyer by specialty and load."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from fengqiao.contracts.codes import Category
from fengqiao.contracts.events import Party
from justice.domain.directory import load_directory
from justice.domain.errors import (
    IllegalTransition,
    InvalidRequest,
    LawyerUnavailable,
    NoLawyerAvailable,
    UnknownLawyer,
)
from justice.domain.fields import CommitteeField
from justice.domain.legal_aid import (
    DEFAULT_THRESHOLD,
    LegalAidApplication,
    LegalAidStatus,
    SpecialGround,
    assess,
)
from justice.domain.legal_aid_steps import (
    AidRequest,
    assign_lawyer,
    choose_lawyer,
    close,
    deny,
    open_cases_by_lawyer,
    review,
    submit,
)
from justice.domain.people import Lawyer

A = LegalAidStatus
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
CLERK = "法援窗口 梅"
WORKER = Party(name="吴志华", role="applicant", phone="13800001111")


def application(
    income: str = "1800", grounds: list[SpecialGround] | None = None
) -> LegalAidApplication:
    request = AidRequest(
        applicant=WORKER,
        matter="追讨工地拖欠工资 3.2 万元",
        category=Category.LABOUR_WAGE,
        income_per_person=Decimal(income),
        household_size=4,
        grounds=grounds or [],
    )
    return submit("FY-1", request, by=CLERK, now=T0)


def lawyer(lid: str, specialties: list[str], cap: int = 3, active: bool = True) -> Lawyer:
    return Lawyer.model_validate(
        {
            "id": lid,
            "name": f"律师{lid}",
            "firm": "侨乡所",
            "specialties": specialties,
            "capacity": cap,
            "active": active,
        }
    )


def test_the_default_threshold_is_jiangmens_minimum_wage_band() -> None:
    assert Decimal("2300") == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("income", "eligible"), [("0", True), ("2299.99", True), ("2300", True), ("2300.01", False)]
)
def test_means_test_at_the_threshold(income: str, eligible: bool) -> None:
    found = assess(Decimal(income))
    assert (found.eligible, found.means_tested) == (eligible, True)


def test_the_threshold_is_a_parameter() -> None:
    assert not assess(Decimal("2000"), threshold=Decimal("1900")).eligible
    assert assess(Decimal("2500"), threshold=Decimal("2600")).eligible


@pytest.mark.parametrize("ground", list(SpecialGround), ids=lambda g: g.value)
def test_each_special_ground_skips_the_means_test(ground: SpecialGround) -> None:
    found = assess(Decimal("9000"), [ground])
    assert found.eligible and not found.means_tested and ground.zh in found.reason


def test_negative_money_is_refused() -> None:
    with pytest.raises(InvalidRequest):
        assess(Decimal("-1"))
    with pytest.raises(ValidationError):
        application(income="-5")


def test_review_approves_then_a_lawyer_is_assigned_then_closed() -> None:
    app = application()
    assert app.field is CommitteeField.LABOUR and app.history[0].status is A.SUBMITTED
    found = review(app, by=CLERK, now=T0 + HOUR)
    assert found.eligible and app.status is A.APPROVED and app.eligibility == found
    chosen = choose_lawyer(load_directory().lawyers, field=app.field, load={})
    assert chosen.id == "l01"  # the demo directory's labour lawyer
    assign_lawyer(app, chosen, by=CLERK, now=T0 + 2 * HOUR)
    assert (app.status, app.lawyer_id, app.lawyer_name) == (A.LAWYER_ASSIGNED, "l01", "冯卓然")
    done = T0 + 30 * 24 * HOUR
    close(app, result="劳动仲裁调解，追回工资3.2万元", by=CLERK, now=done)
    assert (app.status, app.result, app.closed_at) == (
        A.CLOSED,
        "劳动仲裁调解，追回工资3.2万元",
        done,
    )
    assert [e.status for e in app.history] == [A.SUBMITTED, A.APPROVED, A.LAWYER_ASSIGNED, A.CLOSED]


def test_review_denies_above_the_threshold_with_the_reason() -> None:
    app = application(income="3100")
    found = review(app, by=CLERK, now=T0 + HOUR)
    assert not found.eligible and app.status is A.DENIED
    assert app.denial_reason is not None and "3100" in app.denial_reason


def test_review_with_a_ground_approves_a_high_income() -> None:
    app = application(income="5000", grounds=[SpecialGround.MIGRANT_WAGE])
    assert review(app, by=CLERK, now=T0 + HOUR).eligible and app.status is A.APPROVED


def test_manual_denial_needs_a_reason() -> None:
    app = application()
    with pytest.raises(InvalidRequest):
        deny(app, reason="", by=CLERK, now=T0 + HOUR)
    deny(app, reason="不属于法律援助事项范围", by=CLERK, now=T0 + HOUR)
    assert app.status is A.DENIED and app.denial_reason == "不属于法律援助事项范围"


def test_steps_out_of_order_are_refused_and_change_nothing() -> None:
    some = lawyer("x", ["labour"])
    app = application()
    attempts: list[Callable[[], None]] = [
        lambda: assign_lawyer(app, some, by=CLERK, now=T0 + HOUR),
        lambda: close(app, result="done", by=CLERK, now=T0 + HOUR),
    ]
    for attempt in attempts:
        before = app.model_dump()
        with pytest.raises(IllegalTransition):
            attempt()
        assert app.model_dump() == before
    review(app, by=CLERK, now=T0 + HOUR)
    with pytest.raises(IllegalTransition):
        review(app, by=CLERK, now=T0 + 2 * HOUR)
    denied = application(income="9999")
    review(denied, by=CLERK, now=T0 + HOUR)
    with pytest.raises(IllegalTransition):
        assign_lawyer(denied, some, by=CLERK, now=T0 + 2 * HOUR)
    with pytest.raises(InvalidRequest):
        assign_lawyer(app, some, by=CLERK, now=T0)  # dated before the review


def test_lawyer_choice_by_specialty_then_load_then_id() -> None:
    pool = [
        lawyer("a", ["marriage_family"]),
        lawyer("b", ["labour"], cap=4),
        lawyer("c", ["labour"], cap=2),
    ]
    assert choose_lawyer(pool, field=CommitteeField.LABOUR, load={}).id == "b"
    # b 2/4 = 50%, c 0/2: c has the lighter load.
    assert choose_lawyer(pool, field=CommitteeField.LABOUR, load={"b": 2}).id == "c"
    # Both labour lawyers full: the one with room takes it, specialty or not.
    assert choose_lawyer(pool, field=CommitteeField.LABOUR, load={"b": 4, "c": 2}).id == "a"


def test_lawyer_choice_refusals_and_manual_naming() -> None:
    pool = [lawyer("a", ["labour"], cap=1), lawyer("z", ["labour"], active=False)]
    with pytest.raises(NoLawyerAvailable):
        choose_lawyer(pool, field=CommitteeField.LABOUR, load={"a": 1})
    assert choose_lawyer(pool, field=CommitteeField.LABOUR, load={"a": 1}, lawyer_id="a").id == "a"
    with pytest.raises(LawyerUnavailable):
        choose_lawyer(pool, field=CommitteeField.LABOUR, load={}, lawyer_id="z")
    with pytest.raises(UnknownLawyer):
        choose_lawyer(pool, field=CommitteeField.LABOUR, load={}, lawyer_id="nobody")


def test_open_cases_count_assigned_applications_only() -> None:
    assigned, closed, approved = application(), application(), application()
    for app in (assigned, closed, approved):
        review(app, by=CLERK, now=T0 + HOUR)
    for app in (assigned, closed):
        assign_lawyer(app, lawyer("l9", ["labour"]), by=CLERK, now=T0 + 2 * HOUR)
    close(closed, result="结案", by=CLERK, now=T0 + 3 * HOUR)
    assert open_cases_by_lawyer([assigned, closed, approved]) == {"l9": 1}
