"""司法确认: the justice office's request from receipt to ruling, with every refusal, the
clocks, and the answers that go back to the justice office (never straight to the hub)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from court.domain import confirmation_steps as steps
from court.domain.confirmation import (
    ALLOWED,
    ConfirmationStatus,
    JudicialConfirmation,
    receive,
)
from court.domain.errors import (
    IllegalTransition,
    IncompleteAgreement,
    InvalidRequest,
    TimeOutOfOrder,
    UnsupportedAction,
)
from court.domain.returns import ReturnReason
from fengqiao.contracts.codes import Action, Category, Clock, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    CaseTransferred,
    DocumentRef,
    Location,
    Party,
)
from fengqiao.contracts.orders import Notice

C = ConfirmationStatus
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
JUDGE = "法官 林"
AGREEMENT = "陈某与黄某就承包地边界达成协议: 以水渠中线为界, 黄某于3月底前移除界桩"
BOTH = [Party(name="陈某"), Party(name="黄某", role="respondent")]


def request(
    parties: list[Party] | None = None, summary: str = AGREEMENT, action: Action = Action.CONFIRM
) -> CaseTransferred:
    return CaseTransferred(
        case_id="MED-2026-17",  # the justice office's mediation
        assignment_id="MED-2026-17-confirm",
        tracking_code="FQ-case-3",
        category=Category.LAND_RURAL,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        unit="都斛镇人民调解委员会",
        title="申请司法确认: 承包地边界纠纷调解协议",
        summary=summary,
        location=Location(town="440781105"),
        parties=BOTH if parties is None else parties,
        accept_by=T0 + 3 * DAY,
        due_at=T0 + 20 * DAY,
    )


def requested() -> JudicialConfirmation:
    return receive(request(), now=T0)


def accepted() -> JudicialConfirmation:
    confirmation = requested()
    steps.accept(confirmation, by=JUDGE, now=T0 + DAY)
    return confirmation


def under_review() -> JudicialConfirmation:
    confirmation = accepted()
    steps.review(confirmation, note="询问双方当事人, 均确认自愿", by=JUDGE, now=T0 + 2 * DAY)
    return confirmation


def to_justice(notices: list[Notice]) -> list[str]:
    """The event types sent, all to the justice office and for its mediation."""
    assert all(n.recipient == "justice" for n in notices), notices
    for notice in notices:
        data = notice.data
        assert isinstance(data, CaseAccepted | CaseProgressed | CaseFeedback | CaseReturned)
        assert (data.case_id, data.assignment_id) == ("MED-2026-17", "MED-2026-17-confirm")
    return [n.data.event_type for n in notices]


def status(confirmation: JudicialConfirmation) -> ConfirmationStatus:
    return confirmation.status


# ----- the table ------------------------------------------------------------------------------


def test_table_covers_every_status_and_ends_in_a_ruling_or_a_return() -> None:
    assert set(ALLOWED) == set(ConfirmationStatus)
    assert {s for s, nxt in ALLOWED.items() if not nxt} == {C.CONFIRMED, C.REFUSED, C.RETURNED}


@pytest.mark.parametrize(
    ("start", "to"), list(itertools.product(ConfirmationStatus, ConfirmationStatus)), ids=str
)
def test_move(start: ConfirmationStatus, to: ConfirmationStatus) -> None:
    confirmation = requested()
    confirmation.status = start
    if to in ALLOWED[start]:
        confirmation.move(to, at=T0 + HOUR, actor=JUDGE)
        assert confirmation.status is to
    else:
        with pytest.raises(IllegalTransition):
            confirmation.move(to, at=T0 + HOUR, actor=JUDGE)
        assert confirmation.status is start
        assert len(confirmation.history) == 1


# ----- receipt, acceptance, return ------------------------------------------------------------


def test_a_request_keeps_the_mediation_id_the_agreement_and_the_parties() -> None:
    confirmation = requested()
    assert confirmation.mediation_id == "MED-2026-17"
    assert confirmation.order.sender == "justice"
    assert (confirmation.agreement, confirmation.committee) == (AGREEMENT, "都斛镇人民调解委员会")
    assert [p.name for p in confirmation.parties] == ["陈某", "黄某"]
    assert confirmation.defects == []


def test_a_request_for_another_action_is_refused() -> None:
    with pytest.raises(UnsupportedAction):
        receive(request(action=Action.MEDIATE), now=T0)


def test_acceptance_is_told_to_the_justice_office_and_starts_the_fifteen_days() -> None:
    confirmation = requested()
    notices = steps.accept(confirmation, by=JUDGE, now=T0 + DAY)
    assert to_justice(notices) == [CaseAccepted.event_type]
    assert isinstance(notices[0].data, CaseAccepted)
    assert JUDGE in notices[0].data.handler
    assert status(confirmation) is C.ACCEPTED
    assert confirmation.decision_due_at == T0 + 16 * DAY


@pytest.mark.parametrize(
    ("parties", "summary"), [(BOTH, " "), (BOTH[:1], AGREEMENT), ([], "")], ids=str
)
def test_a_request_without_an_agreement_is_not_accepted_and_changes_nothing(
    parties: list[Party], summary: str
) -> None:
    confirmation = receive(request(parties=parties, summary=summary), now=T0)
    before = confirmation.model_dump()
    with pytest.raises(IncompleteAgreement):
        steps.accept(confirmation, by=JUDGE, now=T0 + DAY)
    assert confirmation.model_dump() == before
    assert confirmation.defects


def test_a_request_outside_jurisdiction_is_returned_to_the_justice_office() -> None:
    confirmation = requested()
    notices = steps.return_request(
        confirmation, reason=ReturnReason.OUTSIDE_JURISDICTION, by=JUDGE, now=T0 + HOUR
    )
    assert to_justice(notices) == [CaseReturned.event_type]
    assert isinstance(notices[0].data, CaseReturned)
    assert notices[0].data.reason_code == "court.outside_jurisdiction"
    assert status(confirmation) is C.RETURNED


def test_an_accepted_request_can_no_longer_be_returned() -> None:
    confirmation = accepted()
    with pytest.raises(IllegalTransition):
        steps.return_request(
            confirmation, reason=ReturnReason.OUTSIDE_JURISDICTION, by=JUDGE, now=T0 + 2 * DAY
        )
    assert status(confirmation) is C.ACCEPTED


# ----- review and ruling ----------------------------------------------------------------------


def test_review_notes_are_progress_and_may_repeat() -> None:
    confirmation = under_review()
    notices = steps.review(confirmation, note="核对土地承包合同", by=JUDGE, now=T0 + 3 * DAY)
    assert to_justice(notices) == [CaseProgressed.event_type]
    assert isinstance(notices[0].data, CaseProgressed)
    assert notices[0].data.note == "审查: 核对土地承包合同"
    assert status(confirmation) is C.UNDER_REVIEW


def test_review_needs_acceptance_and_a_note() -> None:
    with pytest.raises(IllegalTransition):
        steps.review(requested(), note="审查", by=JUDGE, now=T0 + HOUR)
    with pytest.raises(InvalidRequest):
        steps.review(accepted(), note="", by=JUDGE, now=T0 + 2 * DAY)


def test_confirmation_sends_the_ruling_back_resolved() -> None:
    confirmation = under_review()
    notices = steps.confirm(confirmation, seq=45, by=JUDGE, now=T0 + 5 * DAY)
    assert to_justice(notices) == [CaseFeedback.event_type]
    feedback = notices[0].data
    assert isinstance(feedback, CaseFeedback)
    assert feedback.outcome is Outcome.RESOLVED
    assert feedback.summary == "裁定确认调解协议有效: (2026)粤0781民特45号"
    assert feedback.documents == [
        DocumentRef(
            title="民事裁定书 (2026)粤0781民特45号", uri="court://rulings/(2026)粤0781民特45号"
        )
    ]
    assert status(confirmation) is C.CONFIRMED
    assert (confirmation.ruling_number, confirmation.decided_at) == (
        "(2026)粤0781民特45号",
        T0 + 5 * DAY,
    )


def test_refusal_sends_the_reason_and_the_ruling_back_unresolved() -> None:
    confirmation = under_review()
    notices = steps.refuse(
        confirmation, reason="协议内容涉及第三人利益", seq=46, by=JUDGE, now=T0 + 5 * DAY
    )
    assert to_justice(notices) == [CaseFeedback.event_type]
    feedback = notices[0].data
    assert isinstance(feedback, CaseFeedback)
    assert feedback.outcome is Outcome.UNRESOLVED
    assert feedback.summary == "裁定驳回申请: 协议内容涉及第三人利益 (2026)粤0781民特46号"
    assert [d.uri for d in feedback.documents] == ["court://rulings/(2026)粤0781民特46号"]
    assert (status(confirmation), confirmation.refusal_reason) == (
        C.REFUSED,
        "协议内容涉及第三人利益",
    )


Make = Callable[[], JudicialConfirmation]


@pytest.mark.parametrize("make", [requested, accepted], ids=lambda f: f.__name__)
def test_no_ruling_before_review(make: Make) -> None:
    confirmation = make()
    before = confirmation.model_dump()
    with pytest.raises(IllegalTransition):
        steps.confirm(confirmation, seq=45, by=JUDGE, now=T0 + 5 * DAY)
    with pytest.raises(IllegalTransition):
        steps.refuse(confirmation, reason="不符合条件", seq=45, by=JUDGE, now=T0 + 5 * DAY)
    assert confirmation.model_dump() == before


def test_a_ruling_is_final() -> None:
    confirmation = under_review()
    steps.confirm(confirmation, seq=45, by=JUDGE, now=T0 + 5 * DAY)
    with pytest.raises(IllegalTransition):
        steps.refuse(confirmation, reason="改判", seq=46, by=JUDGE, now=T0 + 6 * DAY)
    with pytest.raises(IllegalTransition):
        steps.review(confirmation, note="再审查", by=JUDGE, now=T0 + 6 * DAY)
    assert confirmation.ruling_number == "(2026)粤0781民特45号"


def test_a_refusal_needs_a_reason_and_a_valid_number() -> None:
    confirmation = under_review()
    before = confirmation.model_dump()
    with pytest.raises(InvalidRequest):
        steps.refuse(confirmation, reason=" ", seq=46, by=JUDGE, now=T0 + 5 * DAY)
    with pytest.raises(InvalidRequest):
        steps.confirm(confirmation, seq=0, by=JUDGE, now=T0 + 5 * DAY)
    assert confirmation.model_dump() == before


# ----- clocks ---------------------------------------------------------------------------------


def test_the_decision_is_overdue_fifteen_days_after_acceptance() -> None:
    confirmation = under_review()
    assert not confirmation.overdue(T0 + 16 * DAY)
    assert confirmation.overdue(T0 + 16 * DAY + timedelta(seconds=1))
    assert confirmation.late_clocks(T0 + 17 * DAY) == [Clock.FINISH]
    steps.confirm(confirmation, seq=45, by=JUDGE, now=T0 + 17 * DAY)
    assert not confirmation.overdue(T0 + 30 * DAY)  # decided late, but decided


def test_the_decision_time_limit_is_a_parameter() -> None:
    confirmation = requested()
    steps.accept(confirmation, by=JUDGE, now=T0 + DAY, time_limit=30 * DAY)
    assert confirmation.decision_due_at == T0 + 31 * DAY
    with pytest.raises(InvalidRequest):
        steps.accept(requested(), by=JUDGE, now=T0 + DAY, time_limit=-DAY)


def test_acceptance_is_due_by_the_orders_accept_by() -> None:
    confirmation = requested()
    assert not confirmation.acceptance_overdue(T0 + 3 * DAY)
    assert confirmation.acceptance_overdue(T0 + 3 * DAY + HOUR)
    assert confirmation.late_clocks(T0 + 4 * DAY) == [Clock.ACCEPT]
    assert not accepted().acceptance_overdue(T0 + 4 * DAY)


def test_a_ruling_dated_before_the_review_is_refused() -> None:
    confirmation = under_review()
    before = confirmation.model_dump()
    with pytest.raises(TimeOutOfOrder):
        steps.confirm(confirmation, seq=45, by=JUDGE, now=T0 + DAY)
    assert confirmation.model_dump() == before


def test_it_reads_back_from_storage_as_it_was_written() -> None:
    confirmation = under_review()
    again = JudicialConfirmation.model_validate(confirmation.model_dump(mode="json"))
    assert again == confirmation
    assert again.history[-1].status is C.UNDER_REVIEW
