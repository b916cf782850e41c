"""Judicial confirmation (司法确认): the order to the court, the court's answers, and what
the hub hears at each; a request for an agreement that does not exist is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fengqiao.contracts.codes import Action, Category, Outcome, Severity
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
from justice.domain import confirmation, steps
from justice.domain.choice import choose
from justice.domain.directory import load_directory
from justice.domain.errors import AgreementNotFound, IllegalTransition, UnknownOrder
from justice.domain.mediation import Agreement, Mediation, MediationStatus, Session
from justice.domain.reception import Application, from_application, from_order

S = MediationStatus
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
OFFICER = "司法所 李所长"
PLACE = Location(town="440781105", village="440781105201", lon=112.87, lat=21.955)
CHEN = Party(name="陈大海", role="applicant", id_number="440781197003051234")
HUANG = Party(name="黄阿明", role="respondent")
OWN_DOC = DocumentRef(title="人民调解协议书", uri="justice://agreements/TJ-1.docx")
RULING = DocumentRef(title="民事裁定书", uri="court://rulings/2026-12.pdf")
RULING_NO = "(2026)粤0781民特12号 裁定调解协议有效"


def transfer() -> CaseTransferred:
    return CaseTransferred(
        case_id="C-1",
        assignment_id="C-1-a1",
        tracking_code="DH20260302-0001",
        category=Category.LAND_RURAL,
        severity=Severity.MAJOR,
        action=Action.MEDIATE,
        lead=True,
        title="莲湖村承包地边界纠纷",
        summary="两户因承包地田埂边界发生争执",
        location=PLACE,
        parties=[CHEN, HUANG],
        accept_by=T0 + DAY,
        due_at=T0 + 21 * DAY,
    )


def agreement() -> Agreement:
    return Agreement(
        number="都斛调〔2026〕12号",
        parties=[CHEN, HUANG],
        facts="黄某扩种越界约30厘米",
        terms=["以2015年确权图为准重新立界", "黄阿明于3月31日前恢复田埂原状"],
        signed_at=T0 + 3 * HOUR,
        document=OWN_DOC,
    )


def in_session(m: Mediation) -> Mediation:
    chosen = choose(load_directory(), field=m.field, location=m.location, load={})
    steps.accept(m, chosen, by=OFFICER, now=T0 + HOUR)
    held = Session(at=T0 + 2 * HOUR, place="莲湖村委会", attendees=["陈大海", "黄阿明"])
    steps.hold_session(m, held, by=OFFICER, now=T0 + 2 * HOUR)
    return m


def hub_case() -> Mediation:
    return in_session(from_order("TJ-1", transfer(), now=T0))


def asked(now: datetime = T0 + 4 * HOUR) -> Mediation:
    m = hub_case()
    steps.agree(m, agreement(), by=OFFICER, now=now, ask_confirmation=True)
    return m


def answer(
    m: Mediation, outcome: Outcome, *, summary: str = RULING_NO, assignment: str = "TJ-1-confirm"
) -> CaseFeedback:
    return CaseFeedback(
        case_id=m.id,
        assignment_id=assignment,
        at=T0 + 5 * DAY,
        outcome=outcome,
        summary=summary,
        documents=[RULING],
    )


def test_agreeing_with_confirmation_asks_the_court_and_tells_the_hub() -> None:
    m = hub_case()
    now = T0 + 4 * HOUR
    progressed, to_court = steps.agree(m, agreement(), by=OFFICER, now=now, ask_confirmation=True)
    assert progressed.recipient == "intake" and isinstance(progressed.data, CaseProgressed)
    assert "达成协议，申请司法确认" in progressed.data.note
    assert progressed.data.assignment_id == "C-1-a1"
    assert to_court.recipient == "court"
    order = to_court.data
    assert isinstance(order, CaseTransferred)
    assert (order.case_id, order.assignment_id) == ("TJ-1", "TJ-1-confirm")
    assert (order.action, order.lead, order.tracking_code) == (
        Action.CONFIRM,
        True,
        "DH20260302-0001",
    )
    assert (order.category, order.severity, order.location) == (
        Category.LAND_RURAL,
        Severity.MAJOR,
        PLACE,
    )
    assert m.choice is not None and order.unit == m.choice.committee_name
    assert order.title.startswith("司法确认申请: ") and "莲湖村" in order.title
    for text in ("陈大海", "黄阿明", "黄某扩种越界", "1. 以2015年确权图为准重新立界"):
        assert text in order.summary
    assert order.parties == [CHEN, HUANG]
    assert (order.accept_by, order.due_at) == (now + 3 * DAY, now + 15 * DAY)
    assert m.status is S.CONFIRMATION_REQUESTED and m.hub_feedback_at is None
    assert m.confirmation is not None and m.confirmation.agency == "court"


def test_confirmation_requested_later_sends_the_same_order() -> None:
    m = hub_case()
    [feedback] = steps.agree(m, agreement(), by=OFFICER, now=T0 + 4 * HOUR)
    assert isinstance(feedback.data, CaseFeedback)
    progressed, to_court = confirmation.request(m, by=OFFICER, now=T0 + 2 * DAY)
    assert isinstance(progressed.data, CaseProgressed) and to_court.recipient == "court"
    assert isinstance(to_court.data, CaseTransferred)
    assert to_court.data.assignment_id == "TJ-1-confirm"
    assert to_court.data.action is Action.CONFIRM
    # The hub took its one feedback already: the ruling reaches it as a supplementary note.
    [note] = confirmation.on_court_answer(
        m, answer(m, Outcome.RESOLVED), agency="court", now=T0 + 5 * DAY
    )
    assert isinstance(note.data, CaseProgressed) and RULING_NO in note.data.note
    assert m.status is S.CONFIRMED


@pytest.mark.parametrize("outcome_step", ["in_session", "failed"])
def test_confirmation_of_an_agreement_that_does_not_exist_is_refused(outcome_step: str) -> None:
    m = hub_case()
    if outcome_step == "failed":
        steps.fail(m, reason="分歧过大", by=OFFICER, now=T0 + 3 * HOUR)
    before = m.model_dump()
    with pytest.raises(AgreementNotFound, match="no agreement"):
        confirmation.request(m, by=OFFICER, now=T0 + 4 * HOUR)
    assert m.model_dump() == before


def test_confirmation_cannot_be_asked_twice() -> None:
    m = asked()
    with pytest.raises(IllegalTransition):
        confirmation.request(m, by=OFFICER, now=T0 + 5 * HOUR)


def test_the_courts_acceptance_and_progress_are_logged_only() -> None:
    m = asked()
    accepted = CaseAccepted(
        case_id="TJ-1", assignment_id="TJ-1-confirm", accepted_at=T0 + DAY, handler="立案庭 王法官"
    )
    assert confirmation.on_court_answer(m, accepted, agency="court", now=T0 + DAY) == []
    progressed = CaseProgressed(
        case_id="TJ-1", assignment_id="TJ-1-confirm", at=T0 + 2 * DAY, note="已询问双方当事人"
    )
    assert confirmation.on_court_answer(m, progressed, agency="court", now=T0 + 2 * DAY) == []
    assert m.status is S.CONFIRMATION_REQUESTED
    assert m.confirmation is not None and m.confirmation.handler == "立案庭 王法官"
    assert [e.note for e in m.history[-2:]] == [
        "法院已受理司法确认申请：立案庭 王法官",
        "法院进展：已询问双方当事人",
    ]


def test_a_confirmed_agreement_feeds_back_resolved_with_the_ruling_and_documents() -> None:
    m = asked()
    [notice] = confirmation.on_court_answer(
        m, answer(m, Outcome.RESOLVED), agency="court", now=T0 + 5 * DAY
    )
    assert notice.recipient == "intake" and isinstance(notice.data, CaseFeedback)
    assert notice.data.assignment_id == "C-1-a1"
    assert notice.data.outcome is Outcome.RESOLVED
    assert notice.data.summary == f"司法确认: {RULING_NO}"
    assert notice.data.documents == [OWN_DOC, RULING]
    assert m.status is S.CONFIRMED
    assert m.confirmation is not None and m.confirmation.ruling == RULING_NO
    assert m.confirmation.documents == [RULING]


@pytest.mark.parametrize(
    ("court", "hub"),
    [
        (Outcome.UNRESOLVED, Outcome.UNRESOLVED),
        (Outcome.REFERRED, Outcome.UNRESOLVED),
        (Outcome.PARTLY_RESOLVED, Outcome.PARTLY_RESOLVED),
    ],
)
def test_a_refused_confirmation_feeds_back_with_the_reason(court: Outcome, hub: Outcome) -> None:
    m = asked()
    reason = "协议第2项违反法律强制性规定，裁定驳回申请"
    [notice] = confirmation.on_court_answer(
        m, answer(m, court, summary=reason), agency="court", now=T0 + 5 * DAY
    )
    assert isinstance(notice.data, CaseFeedback) and notice.data.outcome is hub
    assert reason in notice.data.summary
    assert m.status is S.REFUSED


def test_an_order_the_court_returns_ends_as_refused() -> None:
    m = asked()
    returned = CaseReturned(
        case_id="TJ-1",
        assignment_id="TJ-1-confirm",
        returned_at=T0 + DAY,
        reason_code="jurisdiction",
        reason="不属本院管辖",
    )
    [notice] = confirmation.on_court_answer(m, returned, agency="court", now=T0 + DAY)
    assert isinstance(notice.data, CaseFeedback) and "不属本院管辖" in notice.data.summary
    assert m.status is S.REFUSED


@pytest.mark.parametrize(
    ("assignment", "agency"),
    [("C-1-a1", "court"), ("TJ-1-confirm-2", "court"), ("TJ-1-confirm", "procuratorate")],
)
def test_answers_to_another_order_are_refused(assignment: str, agency: str) -> None:
    m = asked()
    before = m.model_dump()
    with pytest.raises(UnknownOrder):
        confirmation.on_court_answer(
            m, answer(m, Outcome.RESOLVED, assignment=assignment), agency=agency, now=T0 + DAY
        )
    assert m.model_dump() == before


def test_an_answer_before_any_request_or_after_the_decision_is_refused() -> None:
    m = hub_case()
    with pytest.raises(UnknownOrder):
        confirmation.on_court_answer(m, answer(m, Outcome.RESOLVED), agency="court", now=T0 + DAY)
    done = asked()
    confirmation.on_court_answer(done, answer(done, Outcome.RESOLVED), agency="court", now=T0 + DAY)
    before = done.model_dump()
    with pytest.raises(IllegalTransition):
        confirmation.on_court_answer(
            done, answer(done, Outcome.UNRESOLVED), agency="court", now=T0 + 2 * DAY
        )
    assert done.model_dump() == before


def test_a_walk_in_agreement_goes_to_the_court_without_a_tracking_code() -> None:
    application = Application(
        category=Category.LAND_RURAL, title="承包地纠纷", location=PLACE, parties=[CHEN, HUANG]
    )
    m = in_session(from_application("TJ-2", application, by=OFFICER, now=T0))
    [to_court] = steps.agree(m, agreement(), by=OFFICER, now=T0 + 4 * HOUR, ask_confirmation=True)
    assert to_court.recipient == "court" and isinstance(to_court.data, CaseTransferred)
    assert to_court.data.tracking_code is None
    assert to_court.data.assignment_id == "TJ-2-confirm"
    notices = confirmation.on_court_answer(
        m, answer(m, Outcome.RESOLVED, assignment="TJ-2-confirm"), agency="court", now=T0 + DAY
    )
    assert notices == [] and m.status is S.CONFIRMED


def test_the_court_and_its_clocks_can_be_configured() -> None:
    m = hub_case()
    court = confirmation.Court(agency="court-taishan", accept_within=DAY, decide_within=30 * DAY)
    now = T0 + 4 * HOUR
    _, to_court = steps.agree(
        m, agreement(), by=OFFICER, now=now, ask_confirmation=True, court=court
    )
    assert to_court.recipient == "court-taishan" and isinstance(to_court.data, CaseTransferred)
    assert (to_court.data.accept_by, to_court.data.due_at) == (now + DAY, now + 30 * DAY)
