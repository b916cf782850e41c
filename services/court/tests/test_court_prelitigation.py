"""诉前调解: a hub order from receipt to mediated, or failed and filed, with every refusal and
what the hub is told at each step."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from court.domain import prelitigation_steps as steps
from court.domain.errors import (
    IllegalTransition,
    InvalidRequest,
    NoMediatorAvailable,
    TimeOutOfOrder,
    UnsupportedAction,
)
from court.domain.mediators import Mediator
from court.domain.prelitigation import (
    ALLOWED,
    MediationStatus,
    PreLitigationMediation,
    receive,
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

M = MediationStatus
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
CLERK = "立案庭 书记员 周"
TERMS = "被告于2026年4月30日前偿还借款3万元"


def transfer(action: Action = Action.PRE_LITIGATION_MEDIATION) -> CaseTransferred:
    return CaseTransferred(
        case_id="case-9",
        assignment_id="case-9-court",
        tracking_code="FQ-case-9",
        category=Category.CIVIL_DEBT,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        title="民间借贷纠纷",
        summary="村民陈某借款3万元逾期未还, 双方对借款事实无争议",
        location=Location(town="440781105", village="440781105201"),
        parties=[Party(name="陈某"), Party(name="黄某", role="respondent")],
        accept_by=T0 + DAY,
        due_at=T0 + 35 * DAY,
    )


def roster() -> list[Mediator]:
    return [
        Mediator(id="m1", name="李明", open_cases=4),
        Mediator(id="m2", name="谭芳", open_cases=1),
    ]


def received() -> PreLitigationMediation:
    return receive(transfer(), now=T0)


def accepted(seq: int = 678) -> PreLitigationMediation:
    mediation = received()
    steps.accept(mediation, roster(), seq=seq, by=CLERK, now=T0 + HOUR)
    return mediation


def mediating() -> PreLitigationMediation:
    mediation = accepted()
    steps.record_session(mediation, note="双方到庭, 就还款期限协商", by="谭芳", now=T0 + 2 * DAY)
    return mediation


def failed() -> PreLitigationMediation:
    mediation = mediating()
    steps.failed(mediation, reason="被告不同意分期", by="谭芳", now=T0 + 5 * DAY)
    return mediation


def to_hub(notices: list[Notice]) -> list[str]:
    """The event types sent, all to the hub and all for its case and assignment."""
    assert all(n.recipient == "intake" for n in notices), notices
    for notice in notices:
        data = notice.data
        assert isinstance(data, CaseAccepted | CaseProgressed | CaseFeedback | CaseReturned)
        assert (data.case_id, data.assignment_id) == ("case-9", "case-9-court")
    return [n.data.event_type for n in notices]


def status(mediation: PreLitigationMediation) -> MediationStatus:
    """Read afresh, so mypy does not narrow it across steps."""
    return mediation.status


# ----- the table ------------------------------------------------------------------------------


def test_table_covers_every_status_and_ends_in_mediated_filed_or_returned() -> None:
    assert set(ALLOWED) == set(MediationStatus)
    assert {s for s, nxt in ALLOWED.items() if not nxt} == {M.MEDIATED, M.FILED, M.RETURNED}
    assert ALLOWED[M.FAILED] == {M.FILED}  # filing only after failure


@pytest.mark.parametrize(
    ("start", "to"), list(itertools.product(MediationStatus, MediationStatus)), ids=str
)
def test_move(start: MediationStatus, to: MediationStatus) -> None:
    mediation = received()
    mediation.status = start
    if to in ALLOWED[start]:
        mediation.move(to, at=T0 + HOUR, actor=CLERK)
        assert mediation.status is to
        assert mediation.history[-1].status is to
    else:
        with pytest.raises(IllegalTransition):
            mediation.move(to, at=T0 + HOUR, actor=CLERK)
        assert mediation.status is start
        assert len(mediation.history) == 1


# ----- receipt and acceptance -----------------------------------------------------------------


def test_an_order_is_received_with_the_hubs_ids_and_clocks() -> None:
    mediation = received()
    assert (mediation.id, mediation.status) == ("case-9-court", M.RECEIVED)
    assert (mediation.order.sender, mediation.order.case_id) == ("intake", "case-9")
    assert mediation.order.accept_by == T0 + DAY
    assert [p.name for p in mediation.parties] == ["陈某", "黄某"]
    assert receive(transfer(), now=T0, mediation_id="SQ-1").id == "SQ-1"


def test_an_order_for_another_action_is_not_a_pre_litigation_mediation() -> None:
    with pytest.raises(UnsupportedAction):
        receive(transfer(Action.HEAR), now=T0)


def test_acceptance_numbers_it_assigns_the_least_loaded_mediator_and_tells_the_hub() -> None:
    mediation = received()
    mediators = roster()
    notices = steps.accept(mediation, mediators, seq=678, by=CLERK, now=T0 + HOUR)

    assert to_hub(notices) == [CaseAccepted.event_type, CaseProgressed.event_type]
    first, second = (n.data for n in notices)
    assert isinstance(first, CaseAccepted) and isinstance(second, CaseProgressed)
    assert "特邀调解员 谭芳" in first.handler
    assert "(2026)粤0781诉前调678号" in second.note and "谭芳" in second.note
    assert status(mediation) is M.ACCEPTED
    assert (mediation.mediator_id, mediation.number) == ("m2", "(2026)粤0781诉前调678号")
    assert mediators[1].open_cases == 2  # the chosen mediator carries one more


def test_the_clerk_may_name_the_mediator() -> None:
    mediation = received()
    steps.accept(mediation, roster(), seq=1, by=CLERK, now=T0 + HOUR, mediator_id="m1")
    assert mediation.mediator_id == "m1"


def test_no_mediator_with_room_refuses_acceptance_and_changes_nothing() -> None:
    mediation = received()
    before = mediation.model_dump()
    full = [Mediator(id="m1", name="李明", open_cases=10, capacity=10)]
    with pytest.raises(NoMediatorAvailable):
        steps.accept(mediation, full, seq=1, by=CLERK, now=T0 + HOUR)
    assert mediation.model_dump() == before


def test_accepting_twice_is_refused() -> None:
    mediation = accepted()
    mediators = roster()
    with pytest.raises(IllegalTransition):
        steps.accept(mediation, mediators, seq=2, by=CLERK, now=T0 + 2 * HOUR)
    assert mediation.number == "(2026)粤0781诉前调678号"
    assert [m.open_cases for m in mediators] == [4, 1]


def test_a_bad_sequence_number_refuses_acceptance_and_changes_nothing() -> None:
    mediation = received()
    before = mediation.model_dump()
    with pytest.raises(InvalidRequest):
        steps.accept(mediation, roster(), seq=0, by=CLERK, now=T0 + HOUR)
    assert mediation.model_dump() == before


def test_the_number_takes_the_year_in_beijing() -> None:
    mediation = received()
    new_year = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 01:00 on 1 January 2027 in Beijing
    steps.accept(mediation, roster(), seq=1, by=CLERK, now=new_year)
    assert mediation.number == "(2027)粤0781诉前调1号"


# ----- return before acceptance ---------------------------------------------------------------


def test_an_unsuitable_dispute_is_returned_to_the_hub_with_the_reason_code() -> None:
    mediation = received()
    notices = steps.return_order(
        mediation, reason=ReturnReason.NOT_SUITABLE, by=CLERK, now=T0 + HOUR
    )
    assert to_hub(notices) == [CaseReturned.event_type]
    event = notices[0].data
    assert isinstance(event, CaseReturned)
    assert event.reason_code == "court.not_suitable"
    assert event.reason == ReturnReason.NOT_SUITABLE.zh  # no detail: the code's label
    assert status(mediation) is M.RETURNED
    assert mediation.return_reason_code == "court.not_suitable"


def test_a_return_carries_the_clerks_detail_when_given() -> None:
    mediation = received()
    notices = steps.return_order(
        mediation,
        reason=ReturnReason.OUTSIDE_JURISDICTION,
        detail="被告住所地不在本院辖区",
        by=CLERK,
        now=T0 + HOUR,
    )
    assert isinstance(notices[0].data, CaseReturned)
    assert notices[0].data.reason == "被告住所地不在本院辖区"


def test_an_accepted_mediation_can_no_longer_be_returned() -> None:
    mediation = accepted()
    with pytest.raises(IllegalTransition):
        steps.return_order(mediation, reason=ReturnReason.NOT_SUITABLE, by=CLERK, now=T0 + DAY)
    assert status(mediation) is M.ACCEPTED


# ----- mediation ------------------------------------------------------------------------------


def test_sessions_are_reported_and_keep_it_mediating() -> None:
    mediation = mediating()
    notices = steps.record_session(mediation, note="第二次调解", by="谭芳", now=T0 + 3 * DAY)
    assert to_hub(notices) == [CaseProgressed.event_type]
    assert isinstance(notices[0].data, CaseProgressed)
    assert "第二次调解" in notices[0].data.note
    assert status(mediation) is M.MEDIATING
    statuses = [e.status for e in mediation.history]
    assert statuses == [M.RECEIVED, M.ACCEPTED, M.MEDIATING, M.MEDIATING]


def test_a_session_before_acceptance_or_with_a_blank_note_is_refused() -> None:
    with pytest.raises(IllegalTransition):
        steps.record_session(received(), note="调解", by="谭芳", now=T0 + HOUR)
    mediation = accepted()
    with pytest.raises(InvalidRequest):
        steps.record_session(mediation, note="  ", by="谭芳", now=T0 + DAY)
    assert status(mediation) is M.ACCEPTED


def test_mediated_feeds_back_resolved_with_the_terms_and_the_number() -> None:
    mediation = mediating()
    notices = steps.mediated(mediation, terms=TERMS, by="谭芳", now=T0 + 6 * DAY)
    assert to_hub(notices) == [CaseFeedback.event_type]
    feedback = notices[0].data
    assert isinstance(feedback, CaseFeedback)
    assert feedback.outcome is Outcome.RESOLVED
    assert TERMS in feedback.summary and "(2026)粤0781诉前调678号" in feedback.summary
    assert "民特" not in feedback.summary
    assert [d.title for d in feedback.documents] == ["调解协议 (2026)粤0781诉前调678号"]
    assert status(mediation) is M.MEDIATED
    assert (mediation.terms, mediation.confirmation_number) == (TERMS, None)


def test_an_agreement_confirmed_at_once_carries_the_ruling() -> None:
    mediation = mediating()
    notices = steps.mediated(
        mediation, terms=TERMS, by="法官 林", now=T0 + 6 * DAY, confirmed=True, ruling_seq=45
    )
    feedback = notices[0].data
    assert isinstance(feedback, CaseFeedback)
    assert "(2026)粤0781民特45号" in feedback.summary
    assert (
        DocumentRef(
            title="民事裁定书 (2026)粤0781民特45号", uri="court://rulings/(2026)粤0781民特45号"
        )
        in feedback.documents
    )
    assert mediation.confirmation_number == "(2026)粤0781民特45号"


@pytest.mark.parametrize(("confirmed", "ruling_seq"), [(True, None), (False, 45)])
def test_confirmation_and_its_ruling_number_come_together(
    confirmed: bool, ruling_seq: int | None
) -> None:
    mediation = mediating()
    before = mediation.model_dump()
    with pytest.raises(InvalidRequest):
        steps.mediated(
            mediation,
            terms=TERMS,
            by="谭芳",
            now=T0 + 6 * DAY,
            confirmed=confirmed,
            ruling_seq=ruling_seq,
        )
    assert mediation.model_dump() == before


def test_mediated_needs_a_session_and_terms() -> None:
    with pytest.raises(IllegalTransition):
        steps.mediated(accepted(), terms=TERMS, by="谭芳", now=T0 + DAY)
    mediation = mediating()
    with pytest.raises(InvalidRequest):
        steps.mediated(mediation, terms="", by="谭芳", now=T0 + 6 * DAY)
    assert status(mediation) is M.MEDIATING


# ----- failure and filing ---------------------------------------------------------------------


def test_failure_is_reported_as_progress_not_yet_as_feedback() -> None:
    mediation = mediating()
    notices = steps.failed(mediation, reason="被告不同意分期", by="谭芳", now=T0 + 5 * DAY)
    assert to_hub(notices) == [CaseProgressed.event_type]
    assert isinstance(notices[0].data, CaseProgressed)
    assert notices[0].data.note == "调解不成: 被告不同意分期"
    assert (status(mediation), mediation.failure_reason) == (M.FAILED, "被告不同意分期")


def test_a_party_refusing_to_mediate_fails_it_without_a_session() -> None:
    mediation = accepted()
    steps.failed(mediation, reason="被告拒绝调解", by="谭芳", now=T0 + DAY)
    assert status(mediation) is M.FAILED


def test_filing_after_failure_refers_the_case_with_its_number_and_notice() -> None:
    mediation = failed()
    notices = steps.file_case(
        mediation, seq=123, filed_on=date(2026, 3, 9), by=CLERK, now=T0 + 7 * DAY
    )
    assert to_hub(notices) == [CaseFeedback.event_type]
    feedback = notices[0].data
    assert isinstance(feedback, CaseFeedback)
    assert feedback.outcome is Outcome.REFERRED
    assert feedback.summary == "调解不成，已立案: (2026)粤0781民初123号"
    assert feedback.documents == [
        DocumentRef(
            title="受理案件通知书 (2026)粤0781民初123号",
            uri="court://cases/(2026)粤0781民初123号",
        )
    ]
    assert status(mediation) is M.FILED
    assert (mediation.case_number, mediation.filed_on) == (
        "(2026)粤0781民初123号",
        date(2026, 3, 9),
    )


@pytest.mark.parametrize("make", [received, accepted, mediating], ids=lambda f: f.__name__)
def test_filing_before_failure_is_refused_and_changes_nothing(
    make: Callable[[], PreLitigationMediation],
) -> None:
    mediation = make()
    before = mediation.model_dump()
    with pytest.raises(IllegalTransition):
        steps.file_case(mediation, seq=1, filed_on=date(2026, 3, 9), by=CLERK, now=T0 + 7 * DAY)
    assert mediation.model_dump() == before


def test_a_mediated_dispute_is_never_filed() -> None:
    mediation = mediating()
    steps.mediated(mediation, terms=TERMS, by="谭芳", now=T0 + 6 * DAY)
    with pytest.raises(IllegalTransition):
        steps.file_case(mediation, seq=1, filed_on=date(2026, 3, 9), by=CLERK, now=T0 + 7 * DAY)


@pytest.mark.parametrize("filed_on", [date(2026, 3, 6), date(2026, 3, 10)])
def test_the_filing_date_falls_between_failure_and_today(filed_on: date) -> None:
    mediation = failed()  # failed on 7 March, Beijing; now is 9 March
    before = mediation.model_dump()
    with pytest.raises(InvalidRequest):
        steps.file_case(mediation, seq=1, filed_on=filed_on, by=CLERK, now=T0 + 7 * DAY)
    assert mediation.model_dump() == before


def test_the_filed_case_takes_the_year_of_its_filing_date() -> None:
    mediation = failed()
    later = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
    steps.file_case(mediation, seq=1, filed_on=date(2027, 1, 4), by=CLERK, now=later)
    assert mediation.case_number == "(2027)粤0781民初1号"


# ----- clocks ---------------------------------------------------------------------------------


def test_the_time_limit_runs_thirty_days_from_acceptance() -> None:
    mediation = accepted()
    assert mediation.due_at == T0 + HOUR + 30 * DAY
    assert not mediation.overdue(T0 + HOUR + 30 * DAY)
    assert mediation.overdue(T0 + HOUR + 30 * DAY + timedelta(seconds=1))
    assert mediation.late_clocks(T0 + 31 * DAY + HOUR) == [Clock.FINISH]


def test_the_time_limit_is_a_parameter() -> None:
    mediation = received()
    steps.accept(mediation, roster(), seq=1, by=CLERK, now=T0, time_limit=15 * DAY)
    assert mediation.due_at == T0 + 15 * DAY
    with pytest.raises(InvalidRequest):
        steps.accept(received(), roster(), seq=1, by=CLERK, now=T0, time_limit=timedelta(0))


def test_a_finished_mediation_is_not_overdue() -> None:
    mediation = failed()
    assert not mediation.overdue(T0 + 60 * DAY)


def test_acceptance_is_due_by_the_hubs_accept_by() -> None:
    mediation = received()
    assert not mediation.acceptance_overdue(T0 + DAY)
    assert mediation.late_clocks(T0 + DAY + HOUR) == [Clock.ACCEPT]
    assert not accepted().acceptance_overdue(T0 + 2 * DAY)


def test_a_step_dated_before_the_last_is_refused_and_changes_nothing() -> None:
    mediation = mediating()
    before = mediation.model_dump()
    with pytest.raises(TimeOutOfOrder):
        steps.failed(mediation, reason="被告不同意", by="谭芳", now=T0 + DAY)
    assert mediation.model_dump() == before


def test_it_reads_back_from_storage_as_it_was_written() -> None:
    mediation = failed()
    stored = mediation.model_dump(mode="json")
    again = PreLitigationMediation.model_validate(stored)
    assert again == mediation
    assert again.history[-1].status is M.FAILED
