"""The office's rules around a mediation that the service layer leans on: the hub's clocks and
when they are late, agreement numbers, checking a draft before it is numbered, what the hub's
supervision and closure leave on the record, and the village adviser's record of appointments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fengqiao.contracts.codes import Action, Card, Category, Clock, Level, Outcome, Severity
from fengqiao.contracts.events import (
    CaseClosed,
    CaseSupervised,
    CaseTransferred,
    Location,
    Party,
)
from justice.domain import adviser_record, drafting, hub_notes, steps
from justice.domain.advisers import LegalAdviser
from justice.domain.choice import choose
from justice.domain.clocks import clocks, is_overdue
from justice.domain.directory import load_directory
from justice.domain.drafting import AgreementDraft
from justice.domain.errors import (
    AdviserAlreadyRegistered,
    IllegalTransition,
    InvalidRequest,
    UnknownOrder,
)
from justice.domain.mediation import Mediation, Session
from justice.domain.numbering import agreement_number, year_of
from justice.domain.reception import from_order

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
PLACE = Location(town="440781105", village="440781105201", lon=112.87, lat=21.955)
CHEN = Party(name="陈大海", role="applicant")
HUANG = Party(name="黄阿明", role="respondent")
DRAFT = AgreementDraft(facts="越界约30厘米", terms=["重新立界"])


def received(parties: list[Party] | None = None) -> Mediation:
    order = CaseTransferred(
        case_id="C-1",
        assignment_id="C-1-a1",
        category=Category.LAND_RURAL,
        severity=Severity.GENERAL,
        action=Action.MEDIATE,
        lead=True,
        title="承包地边界纠纷",
        summary="田埂边界争执",
        location=PLACE,
        parties=[CHEN, HUANG] if parties is None else parties,
        accept_by=T0 + DAY,
        due_at=T0 + 21 * DAY,
    )
    return from_order("TJ-1", order, now=T0)


def accepted(parties: list[Party] | None = None) -> Mediation:
    m = received(parties)
    chosen = choose(load_directory(), field=m.field, location=PLACE, load={})
    steps.accept(m, chosen, by="所长", now=T0 + HOUR)
    return m


def in_session(parties: list[Party] | None = None) -> Mediation:
    m = accepted(parties)
    held = Session(at=T0 + HOUR, place="村委会", attendees=["陈大海", "黄阿明"])
    steps.hold_session(m, held, by="调解员", now=T0 + HOUR)
    return m


def test_the_hub_is_kept_waiting_past_acceptance_or_past_the_feedback_deadline() -> None:
    m = received()
    assert not is_overdue(m, T0 + DAY) and is_overdue(m, T0 + DAY + HOUR)
    assert clocks(m, T0).accept_by == T0 + DAY and clocks(m, T0).due_at == T0 + 21 * DAY
    m = accepted()
    assert not is_overdue(m, T0 + 2 * DAY) and is_overdue(m, T0 + 22 * DAY)
    steps.fail(m, reason="一方拒绝调解", by="所长", now=T0 + 2 * HOUR)
    assert not is_overdue(m, T0 + 22 * DAY)  # the hub has its feedback


def test_agreement_numbers_count_in_the_chinese_year() -> None:
    assert agreement_number("都斛调", 2026, 12) == "都斛调〔2026〕12号"
    assert year_of(datetime(2025, 12, 31, 16, 30, tzinfo=UTC)) == 2026  # 00:30 in Shanghai
    with pytest.raises(ValueError):
        agreement_number("都斛调", 2026, 0)


def test_a_draft_is_refused_before_it_is_numbered() -> None:
    for not_yet in (received(), accepted()):  # an agreement comes out of a session
        with pytest.raises(IllegalTransition):
            drafting.draft(not_yet, DRAFT, now=T0 + 2 * HOUR)
    with pytest.raises(InvalidRequest, match="parties"):
        drafting.draft(in_session([CHEN]), DRAFT, now=T0 + 2 * HOUR)
    future = DRAFT.model_copy(update={"signed_at": T0 + 3 * HOUR})
    with pytest.raises(InvalidRequest, match="signed"):
        drafting.draft(in_session(), future, now=T0 + 2 * HOUR)
    late = DRAFT.model_copy(update={"performance_deadline": date(2026, 3, 1)})
    with pytest.raises(InvalidRequest, match="deadline"):
        drafting.draft(in_session(), late, now=T0 + 2 * HOUR)
    ready = drafting.draft(in_session(), DRAFT, now=T0 + 2 * HOUR)
    assert ready.parties == [CHEN, HUANG] and ready.signed_at == T0 + 2 * HOUR
    assert drafting.numbered(ready, "都斛调〔2026〕1号").number == "都斛调〔2026〕1号"


def test_the_hubs_supervision_and_closure_are_lines_on_the_record() -> None:
    m = accepted()
    card = CaseSupervised(
        case_id="C-1",
        assignment_id="C-1-a1",
        clock=Clock.FINISH,
        card=Card.YELLOW,
        due_at=T0 + DAY,
        level=Level.TOWN,
        notice="请加快办理",
    )
    hub_notes.note(m, card, agency="intake", now=T0 + 2 * HOUR)
    closed = CaseClosed(case_id="C-1", closed_at=T0, outcome=Outcome.RESOLVED, summary="结案")
    hub_notes.note(m, closed, agency="intake", now=T0 + 3 * HOUR)
    assert [e.note for e in m.history[-2:]] == [
        f"{Card.YELLOW.zh}({Clock.FINISH.zh}, {Level.TOWN.zh}): 请加快办理",
        "结案(已化解): 结案",
    ]
    assert m.hub_closed_at == T0 + 3 * HOUR and m.status.value == "accepted"
    before = m.model_dump()
    elsewhere = closed.model_copy(update={"case_id": "X"})
    for agency, event in (("court", closed), ("intake", elsewhere)):
        with pytest.raises(UnknownOrder):
            hub_notes.note(m, event, agency=agency, now=T0 + 4 * HOUR)
    assert m.model_dump() == before


def test_a_village_keeps_one_adviser_and_a_replacement_is_on_its_record() -> None:
    zhao = LegalAdviser(village="440781105201", village_name="莲湖村", name="赵志刚", firm="海宴所")
    situ = zhao.model_copy(update={"name": "司徒明"})
    first = adviser_record.appoint(None, zhao, replace=False, by="所长", now=T0)
    assert adviser_record.appoint(first, zhao, replace=False, by="所长", now=T0 + DAY) is first
    with pytest.raises(AdviserAlreadyRegistered):
        adviser_record.appoint(first, situ, replace=False, by="所长", now=T0 + DAY)
    second = adviser_record.appoint(first, situ, replace=True, by="所长", now=T0 + DAY)
    assert second.adviser.name == "司徒明" and second.registered_at == T0 + DAY
    assert [h.note for h in second.history] == [
        "聘任 赵志刚（海宴所）",
        "换聘：赵志刚 → 司徒明（海宴所）",
    ]
    assert first.adviser.name == "赵志刚" and len(first.history) == 1  # not changed in place
