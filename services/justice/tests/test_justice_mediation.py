"""The mediation (人民调解案件) from a hub order or a walk-in: every allowed and refused
transition, the notices each step owes the hub, and the mediator's load."""

from __future__ import annotations

import itertools
from collections.abc import Callable
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
from fengqiao.contracts.orders import Notice
from justice.domain import confirmation, steps
from justice.domain.choice import Choice, choose, override
from justice.domain.directory import load_directory
from justice.domain.errors import DomainError, IllegalTransition, InvalidRequest
from justice.domain.fields import CommitteeField
from justice.domain.mediation import ALLOWED, Agreement, Mediation, MediationStatus, Session
from justice.domain.reception import (
    Application,
    UnsupportedAction,
    decline,
    from_application,
    from_order,
)
from justice.domain.workload import holds_load, load_change, open_cases

S = MediationStatus
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
HOUR = timedelta(hours=1)
OFFICER = "司法所 李所长"
PLACE = Location(town="440781105", village="440781105201", lon=112.87, lat=21.955)
CHEN = Party(name="陈大海", role="applicant", id_number="440781197003051234")
HUANG = Party(name="黄阿明", role="respondent")
DOC = DocumentRef(title="人民调解协议书", uri="justice://agreements/TJ-1.docx")


def order(action: Action = Action.MEDIATE, unit: str | None = None) -> CaseTransferred:
    return CaseTransferred(
        case_id="C-1",
        assignment_id="C-1-a1",
        tracking_code="DH20260302-0001",
        category=Category.LAND_RURAL,
        severity=Severity.GENERAL,
        action=action,
        lead=True,
        unit=unit,
        title="莲湖村承包地边界纠纷",
        summary="两户因承包地田埂边界发生争执",
        location=PLACE,
        parties=[CHEN, HUANG],
        accept_by=T0 + 24 * HOUR,
        due_at=T0 + 21 * 24 * HOUR,
    )


def hub_mediation() -> Mediation:
    return from_order("TJ-1", order(), now=T0)


def walk_in() -> Mediation:
    application = Application(
        category=Category.MARRIAGE_FAMILY,
        title="赡养费纠纷",
        facts="子女对赡养费分担有争议",
        location=PLACE,
        parties=[CHEN, HUANG],
    )
    return from_application("TJ-2", application, by=OFFICER, now=T0)


def choice(mediation: Mediation) -> Choice:
    d = load_directory()
    return choose(d, field=mediation.field, location=mediation.location, load={})


def agreement(document: DocumentRef | None = DOC) -> Agreement:
    return Agreement(
        number="都斛调〔2026〕12号",
        parties=[CHEN, HUANG],
        facts="双方承包地以田埂为界，黄某扩种越界约30厘米",
        terms=["以2015年确权图为准重新立界", "黄阿明于3月31日前恢复田埂原状"],
        performance_manner="双方现场交接，村委会见证",
        signed_at=T0 + 3 * HOUR,
        document=document,
    )


def session(at: datetime) -> Session:
    return Session(at=at, place="莲湖村委会", attendees=["陈大海", "黄阿明"], notes="各自陈述")


class Clock:
    def __init__(self) -> None:
        self._ticks = itertools.count(1)

    def __call__(self) -> datetime:
        return T0 + next(self._ticks) * HOUR


STEP: dict[MediationStatus, Callable[[Mediation, datetime], list[Notice]]] = {
    S.ACCEPTED: lambda m, now: steps.accept(m, choice(m), by=OFFICER, now=now),
    S.RETURNED: lambda m, now: steps.return_to_hub(
        m, reason_code="not_ours", reason="非调解事项", by=OFFICER, now=now
    ),
    S.IN_SESSION: lambda m, now: steps.hold_session(m, session(now), by=OFFICER, now=now),
    S.AGREED: lambda m, now: steps.agree(
        m, agreement().model_copy(update={"signed_at": now}), by=OFFICER, now=now
    ),
    S.FAILED: lambda m, now: steps.fail(m, reason="双方分歧过大", by=OFFICER, now=now),
    S.CONFIRMATION_REQUESTED: lambda m, now: confirmation.request(m, by=OFFICER, now=now),
    S.CONFIRMED: lambda m, now: court_says(m, Outcome.RESOLVED, now),
    S.REFUSED: lambda m, now: court_says(m, Outcome.UNRESOLVED, now),
}
PATH: dict[MediationStatus, list[MediationStatus]] = {
    S.RECEIVED: [],
    S.RETURNED: [S.RETURNED],
    S.ACCEPTED: [S.ACCEPTED],
    S.IN_SESSION: [S.ACCEPTED, S.IN_SESSION],
    S.FAILED: [S.ACCEPTED, S.IN_SESSION, S.FAILED],
    S.AGREED: [S.ACCEPTED, S.IN_SESSION, S.AGREED],
    S.CONFIRMATION_REQUESTED: [S.ACCEPTED, S.IN_SESSION, S.AGREED, S.CONFIRMATION_REQUESTED],
    S.CONFIRMED: [S.ACCEPTED, S.IN_SESSION, S.AGREED, S.CONFIRMATION_REQUESTED, S.CONFIRMED],
    S.REFUSED: [S.ACCEPTED, S.IN_SESSION, S.AGREED, S.CONFIRMATION_REQUESTED, S.REFUSED],
}


def court_says(m: Mediation, outcome: Outcome, now: datetime) -> list[Notice]:
    event = CaseFeedback(
        case_id=m.id, assignment_id=f"{m.id}-confirm", at=now, outcome=outcome, summary="裁定"
    )
    return confirmation.on_court_answer(m, event, agency="court", now=now)


def reach(status: MediationStatus, clock: Clock) -> Mediation:
    m = hub_mediation()
    for step in PATH[status]:
        STEP[step](m, clock())
    assert m.status is status
    return m


@pytest.mark.parametrize(
    ("start", "target"), list(itertools.product(PATH, STEP)), ids=lambda s: s.value
)
def test_every_transition_is_allowed_or_refused_without_change(
    start: MediationStatus, target: MediationStatus
) -> None:
    clock = Clock()
    m = reach(start, clock)
    before = m.model_dump()
    if target in ALLOWED[start]:
        STEP[target](m, clock())
        assert m.status is target
    else:
        with pytest.raises(DomainError):
            STEP[target](m, clock())
        assert m.model_dump() == before


def test_order_keeps_the_hubs_ids_and_takes_the_field_from_the_category() -> None:
    m = from_order("TJ-1", order(unit="都斛镇人民调解委员会"), now=T0)
    assert m.hub is not None and m.hub.assignment_id == "C-1-a1" and m.hub.sender == "intake"
    assert (m.field, m.unit, m.status) == (
        CommitteeField.RURAL_LAND,
        "都斛镇人民调解委员会",
        S.RECEIVED,
    )
    assert [p.name for p in m.parties] == ["陈大海", "黄阿明"]


def test_an_order_for_another_action_is_declined_back_to_the_hub() -> None:
    with pytest.raises(UnsupportedAction):
        from_order("TJ-9", order(Action.HEAR), now=T0)
    [notice] = decline(order(Action.HEAR), now=T0)
    assert notice.recipient == "intake" and isinstance(notice.data, CaseReturned)
    assert notice.data.assignment_id == "C-1-a1"


def test_accept_signs_for_the_order_and_names_committee_and_mediator() -> None:
    m = hub_mediation()
    chosen = choice(m)
    accepted, progressed = steps.accept(m, chosen, by=OFFICER, now=T0 + HOUR)
    assert accepted.recipient == progressed.recipient == "intake"
    assert isinstance(accepted.data, CaseAccepted) and isinstance(progressed.data, CaseProgressed)
    assert accepted.data.assignment_id == progressed.data.assignment_id == "C-1-a1"
    assert chosen.mediator_name in accepted.data.handler
    assert chosen.committee_name in progressed.data.note
    assert chosen.mediator_name in progressed.data.note
    assert m.choice == chosen and m.accepted_at == T0 + HOUR


def test_a_manual_choice_records_its_reason() -> None:
    m = hub_mediation()
    named = override(
        load_directory(),
        mediator_id="m09",
        reason="与当事人同村，熟悉地块",
        field=m.field,
        location=m.location,
        load={},
    )
    _, progressed = steps.accept(m, named, by=OFFICER, now=T0 + HOUR)
    assert isinstance(progressed.data, CaseProgressed) and "熟悉地块" in progressed.data.note
    assert m.history[-1].note is not None and "熟悉地块" in m.history[-1].note


def test_sessions_report_progress_and_may_repeat() -> None:
    m = hub_mediation()
    steps.accept(m, choice(m), by=OFFICER, now=T0 + HOUR)
    [first] = steps.hold_session(m, session(T0 + 2 * HOUR), by=OFFICER, now=T0 + 2 * HOUR)
    [second] = steps.hold_session(m, session(T0 + 3 * HOUR), by=OFFICER, now=T0 + 4 * HOUR)
    assert isinstance(first.data, CaseProgressed) and "第1次调解" in first.data.note
    assert isinstance(second.data, CaseProgressed) and "第2次调解" in second.data.note
    assert len(m.sessions) == 2 and m.status is S.IN_SESSION


@pytest.mark.parametrize("held", [T0 + 5 * HOUR, T0 - HOUR], ids=["future", "before-accept"])
def test_a_session_out_of_time_is_refused_and_changes_nothing(held: datetime) -> None:
    m = hub_mediation()
    steps.accept(m, choice(m), by=OFFICER, now=T0)
    before = m.model_dump()
    with pytest.raises(InvalidRequest):
        steps.hold_session(m, session(held), by=OFFICER, now=T0 + 2 * HOUR)
    assert m.model_dump() == before


def test_agreement_feeds_back_resolved_with_its_terms_and_document() -> None:
    m = reach(S.IN_SESSION, Clock())
    [notice] = steps.agree(m, agreement(), by=OFFICER, now=T0 + 5 * HOUR)
    assert notice.recipient == "intake" and isinstance(notice.data, CaseFeedback)
    assert notice.data.outcome is Outcome.RESOLVED and notice.data.assignment_id == "C-1-a1"
    assert "都斛调〔2026〕12号" in notice.data.summary
    assert "1. 以2015年确权图为准重新立界" in notice.data.summary
    assert notice.data.documents == [DOC]
    assert m.hub_feedback_at == T0 + 5 * HOUR


def test_an_agreement_signed_in_the_future_is_refused() -> None:
    m = reach(S.IN_SESSION, Clock())
    with pytest.raises(InvalidRequest):
        steps.agree(m, agreement(), by=OFFICER, now=T0 + 2 * HOUR + timedelta(minutes=30))
    assert m.status is S.IN_SESSION and m.agreement is None


@pytest.mark.parametrize("start", [S.ACCEPTED, S.IN_SESSION])
def test_failure_feeds_back_unresolved_with_the_reason(start: MediationStatus) -> None:
    m = reach(start, Clock())
    [notice] = steps.fail(m, reason="被申请人拒绝调解", by=OFFICER, now=T0 + 9 * HOUR)
    assert isinstance(notice.data, CaseFeedback) and notice.data.outcome is Outcome.UNRESOLVED
    assert "被申请人拒绝调解" in notice.data.summary
    assert m.failure_reason == "被申请人拒绝调解"


def test_failure_needs_a_reason() -> None:
    m = reach(S.IN_SESSION, Clock())
    with pytest.raises(InvalidRequest):
        steps.fail(m, reason=" ", by=OFFICER, now=T0 + 9 * HOUR)
    assert m.status is S.IN_SESSION


def test_return_goes_to_the_hub_only_before_acceptance() -> None:
    m = hub_mediation()
    [notice] = STEP[S.RETURNED](m, T0 + HOUR)
    assert isinstance(notice.data, CaseReturned) and notice.data.reason_code == "not_ours"
    accepted = reach(S.ACCEPTED, Clock())
    with pytest.raises(IllegalTransition):
        STEP[S.RETURNED](accepted, T0 + 5 * HOUR)


def test_a_walk_in_owes_the_hub_nothing_and_cannot_be_returned() -> None:
    m = walk_in()
    assert m.field is CommitteeField.MARRIAGE_FAMILY and m.hub is None
    with pytest.raises(IllegalTransition):
        STEP[S.RETURNED](m, T0 + HOUR)
    assert steps.accept(m, choice(m), by=OFFICER, now=T0 + HOUR) == []
    assert steps.hold_session(m, session(T0 + 2 * HOUR), by=OFFICER, now=T0 + 2 * HOUR) == []
    assert steps.agree(m, agreement(), by=OFFICER, now=T0 + 3 * HOUR) == []
    assert m.status is S.AGREED


def test_a_step_dated_before_the_last_is_refused() -> None:
    m = reach(S.ACCEPTED, Clock())
    with pytest.raises(InvalidRequest):
        steps.fail(m, reason="x", by=OFFICER, now=T0)
    assert m.status is S.ACCEPTED


def test_attach_document_needs_an_agreement() -> None:
    m = reach(S.IN_SESSION, Clock())
    with pytest.raises(DomainError):
        steps.attach_document(m, DOC, by=OFFICER, now=T0 + 5 * HOUR)
    steps.agree(m, agreement(document=None), by=OFFICER, now=T0 + 5 * HOUR)
    steps.attach_document(m, DOC, by=OFFICER, now=T0 + 6 * HOUR)
    assert m.agreement is not None and m.agreement.document == DOC


def test_load_opens_at_acceptance_and_closes_at_the_outcome() -> None:
    assert load_change(S.RECEIVED, S.ACCEPTED) == 1
    assert load_change(S.ACCEPTED, S.IN_SESSION) == 0
    assert load_change(S.IN_SESSION, S.IN_SESSION) == 0
    assert load_change(S.IN_SESSION, S.AGREED) == -1
    assert load_change(S.ACCEPTED, S.FAILED) == -1
    assert load_change(S.RECEIVED, S.RETURNED) == 0
    assert load_change(S.AGREED, S.CONFIRMATION_REQUESTED) == 0
    busy, done, new = reach(S.IN_SESSION, Clock()), reach(S.AGREED, Clock()), hub_mediation()
    assert holds_load(busy) and not holds_load(done) and not holds_load(new)
    assert busy.choice is not None
    assert open_cases([busy, done, new, reach(S.ACCEPTED, Clock())]) == {busy.choice.mediator_id: 2}
