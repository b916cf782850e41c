"""Public hearings (公开听证): a lawful panel, a time still to come, moving it, holding it with
its record, cancelling it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from procuratorate.domain import hearings
from procuratorate.domain.errors import (
    BadPanel,
    HearingInPast,
    HearingNotYetHeld,
    IllegalTransition,
    InvalidRequest,
)
from procuratorate.domain.hearing import ALLOWED, Hearing, HearingRole, HearingStatus, Participant

S = HearingStatus
R = HearingRole
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
DAY = timedelta(days=1)
AT = NOW + 7 * DAY
BY = "检察官 李明"


def panel(officers: int = 3) -> list[Participant]:
    people = [Participant(name="李明", role=R.PROSECUTOR)]
    people += [Participant(name=f"听证员{i}", role=R.HEARING_OFFICER) for i in range(officers)]
    people += [
        Participant(name="陈阿福", role=R.PARTY),
        Participant(name="张监督", role=R.PEOPLES_SUPERVISOR),
        Participant(name="镇环保办 刘", role=R.OTHER, affiliation="镇环保办"),
    ]
    return people


def schedule(
    at: datetime = AT,
    participants: list[Participant] | None = None,
    case_id: str | None = "JC-1",
    min_officers: int = hearings.MIN_HEARING_OFFICERS,
) -> Hearing:
    return hearings.schedule(
        "TZ-1", subject="养殖废水直排监督案公开听证", at=at, place="都斛镇检察室",
        participants=panel() if participants is None else participants, by=BY, now=NOW,
        case_id=case_id, min_officers=min_officers,
    )  # fmt: skip


def test_schedule_a_hearing_on_a_case() -> None:
    hearing = schedule()
    assert (hearing.status, hearing.case_id, hearing.scheduled_at) == (S.SCHEDULED, "JC-1", AT)
    assert [p.name for p in hearing.in_role(R.HEARING_OFFICER)] == ["听证员0", "听证员1", "听证员2"]
    assert hearings.hearing_note(hearing) == "公开听证定于2026-11-29 10:00在都斛镇检察室举行"


def test_a_standalone_hearing_has_no_case() -> None:
    assert schedule(case_id=None).case_id is None


@pytest.mark.parametrize("at", [NOW, NOW - timedelta(minutes=1), NOW - 30 * DAY])
def test_a_hearing_in_the_past_is_refused(at: datetime) -> None:
    with pytest.raises(HearingInPast, match="a hearing in the past"):
        schedule(at=at)
    assert issubclass(HearingInPast, InvalidRequest)


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(InvalidRequest):
        schedule(at=datetime(2026, 12, 1, 10, 0))


def test_the_panel_needs_three_hearing_officers_by_default() -> None:
    with pytest.raises(BadPanel, match="2 hearing officers"):
        schedule(participants=panel(officers=2))
    assert schedule(participants=panel(officers=3)).status is S.SCHEDULED


def test_the_minimum_of_hearing_officers_is_a_parameter() -> None:
    assert schedule(participants=panel(officers=1), min_officers=1).min_officers == 1
    with pytest.raises(BadPanel):
        schedule(participants=panel(officers=4), min_officers=5)
    with pytest.raises(InvalidRequest):
        schedule(participants=panel(officers=0), min_officers=0)


def test_every_fault_of_the_panel_is_named_at_once() -> None:
    people = [
        Participant(name="王五", role=R.HEARING_OFFICER),
        Participant(name="王五", role=R.HEARING_OFFICER),
        Participant(name="王五", role=R.PARTY),
    ]
    problems = hearings.panel_problems(people, min_officers=3)
    assert len(problems) == 4  # no prosecutor, too few officers, listed twice, officer is party


def test_reschedule_while_scheduled_to_a_future_time() -> None:
    hearing = schedule()
    hearings.reschedule(hearing, at=AT + DAY, by=BY, now=NOW + DAY, place="市检察院听证室")
    assert (hearing.scheduled_at, hearing.place) == (AT + DAY, "市检察院听证室")
    assert hearing.status is S.SCHEDULED
    with pytest.raises(HearingInPast):
        hearings.reschedule(hearing, at=NOW + DAY, by=BY, now=NOW + 2 * DAY)
    assert hearing.scheduled_at == AT + DAY


@pytest.mark.parametrize("status", [S.HELD, S.CANCELLED])
def test_no_rescheduling_once_held_or_cancelled(status: HearingStatus) -> None:
    hearing = schedule()
    hearing.status = status
    with pytest.raises(IllegalTransition):
        hearings.reschedule(hearing, at=AT + DAY, by=BY, now=NOW + DAY)
    assert hearing.scheduled_at == AT


def test_the_record_comes_after_the_scheduled_time() -> None:
    hearing = schedule()
    with pytest.raises(HearingNotYetHeld):
        hearings.record(
            hearing, summary="s", conclusion="c", majority_opinion="m", by=BY, now=AT - DAY
        )
    assert (hearing.status, hearing.record) == (S.SCHEDULED, None)
    hearings.record(
        hearing, summary="双方陈述意见", conclusion="建议环保部门依法查处",
        majority_opinion="3名听证员一致认为应当制发检察建议", by=BY, now=AT + timedelta(hours=2),
    )  # fmt: skip
    assert hearing.status is S.HELD
    assert hearing.record is not None
    assert hearing.record.majority_opinion == "3名听证员一致认为应当制发检察建议"
    assert hearings.hearing_note(hearing) == "公开听证已举行, 结论: 建议环保部门依法查处"


def test_a_record_needs_every_part() -> None:
    hearing = schedule()
    with pytest.raises(InvalidRequest):
        hearings.record(hearing, summary="s", conclusion=" ", majority_opinion="m", by=BY, now=AT)
    assert hearing.status is S.SCHEDULED


def test_cancel_with_a_reason_while_scheduled() -> None:
    hearing = schedule()
    with pytest.raises(InvalidRequest):
        hearings.cancel(hearing, reason="", by=BY, now=NOW + DAY)
    hearings.cancel(hearing, reason="当事人撤回申请", by=BY, now=NOW + DAY)
    assert (hearing.status, hearing.cancel_reason) == (S.CANCELLED, "当事人撤回申请")
    with pytest.raises(IllegalTransition):
        hearings.record(hearing, summary="s", conclusion="c", majority_opinion="m", by=BY, now=AT)
    with pytest.raises(IllegalTransition):
        hearings.cancel(hearing, reason="again", by=BY, now=NOW + 2 * DAY)


def test_a_held_hearing_cannot_be_cancelled() -> None:
    hearing = schedule()
    hearings.record(hearing, summary="s", conclusion="c", majority_opinion="m", by=BY, now=AT)
    with pytest.raises(IllegalTransition):
        hearings.cancel(hearing, reason="迟到的取消", by=BY, now=AT + DAY)
    assert hearing.status is S.HELD


def test_table() -> None:
    assert ALLOWED[S.SCHEDULED] == {S.HELD, S.CANCELLED}
    assert ALLOWED[S.HELD] == frozenset() == ALLOWED[S.CANCELLED]
