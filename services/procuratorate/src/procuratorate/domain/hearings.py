"""公开听证的安排与记录: schedule a hearing with a lawful panel, move it, hold it, cancel it.

A hearing is only ever set in the future; its record only once its time has come.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from fengqiao.calendar import SHANGHAI
from procuratorate.domain.errors import BadPanel, HearingInPast, HearingNotYetHeld, InvalidRequest
from procuratorate.domain.hearing import Hearing, HearingRecord, HearingRole, Participant
from procuratorate.domain.hearing import HearingStatus as S
from procuratorate.domain.workflow import require_aware, require_text

# 听证员一般为三至七人 (人民检察院审查案件听证工作规定): three is the floor a panel is held to.
MIN_HEARING_OFFICERS = 3


def panel_problems(participants: Sequence[Participant], *, min_officers: int) -> list[str]:
    """Every fault of the panel, not just the first, so one correction suffices."""
    roles = Counter(p.role for p in participants)
    problems = []
    if roles[HearingRole.PROSECUTOR] < 1:
        problems.append("no presiding prosecutor (检察官)")
    if roles[HearingRole.HEARING_OFFICER] < min_officers:
        problems.append(
            f"{roles[HearingRole.HEARING_OFFICER]} hearing officers (听证员); "
            f"at least {min_officers} are needed"
        )
    twice = [n for n, c in Counter((p.name, p.role) for p in participants).items() if c > 1]
    problems += [f"{name} is listed twice as {role.value}" for name, role in twice]
    # A hearing officer must be impartial: never also a party to the matter.
    officers = {p.name for p in participants if p.role is HearingRole.HEARING_OFFICER}
    parties = {p.name for p in participants if p.role is HearingRole.PARTY}
    problems += [
        f"{name} cannot be both a party and a hearing officer" for name in officers & parties
    ]
    return problems


def schedule(
    hearing_id: str,
    *,
    subject: str,
    at: datetime,
    place: str,
    participants: Sequence[Participant],
    by: str,
    now: datetime,
    case_id: str | None = None,
    min_officers: int = MIN_HEARING_OFFICERS,
) -> Hearing:
    """安排公开听证: refused if the time has passed or the panel is not lawful."""
    _require_future(at, now)
    if min_officers < 1:
        raise InvalidRequest(f"a hearing needs at least one hearing officer, not {min_officers}")
    problems = panel_problems(participants, min_officers=min_officers)
    if problems:
        raise BadPanel("; ".join(problems))
    hearing = Hearing(
        id=hearing_id,
        case_id=case_id,
        subject=require_text(subject, "the subject"),
        scheduled_at=at,
        place=require_text(place, "the place"),
        participants=list(participants),
        min_officers=min_officers,
    )
    hearing.log(at=now, actor=by, note=f"{at.isoformat()} {hearing.place}")
    return hearing


def reschedule(
    hearing: Hearing, *, at: datetime, by: str, now: datetime, place: str | None = None
) -> None:
    """改期: only while scheduled, and only to a time still to come."""
    hearing.require_in(S.SCHEDULED, to="reschedule it")
    _require_future(at, now)
    new_place = hearing.place if place is None else require_text(place, "the place")
    hearing.log(at=now, actor=by, note=f"改期: {at.isoformat()} {new_place}")
    hearing.scheduled_at, hearing.place = at, new_place


def record(
    hearing: Hearing,
    *,
    summary: str,
    conclusion: str,
    majority_opinion: str,
    by: str,
    now: datetime,
) -> None:
    """听证笔录: the hearing was held; its record, once its scheduled time has come."""
    hearing.require(S.HELD)
    if now < hearing.scheduled_at:
        raise HearingNotYetHeld(
            f"hearing {hearing.id} is set for {hearing.scheduled_at.isoformat()}; not held yet"
        )
    entry = HearingRecord(
        summary=require_text(summary, "the summary"),
        conclusion=require_text(conclusion, "the conclusion"),
        majority_opinion=require_text(majority_opinion, "the majority opinion"),
        recorded_at=now,
        recorded_by=by,
    )
    hearing.move(S.HELD, at=now, actor=by, note=entry.conclusion)
    hearing.record = entry


def cancel(hearing: Hearing, *, reason: str, by: str, now: datetime) -> None:
    """取消听证: with the reason, while still scheduled."""
    hearing.require(S.CANCELLED)
    reason = require_text(reason, "the reason")
    hearing.move(S.CANCELLED, at=now, actor=by, note=reason)
    hearing.cancel_reason = reason


def hearing_note(hearing: Hearing) -> str:
    """The line a supervision case's progress report gives the hearing (see investigate)."""
    if hearing.record is not None:
        return f"公开听证已举行, 结论: {hearing.record.conclusion}"
    if hearing.status is S.CANCELLED:
        return f"公开听证已取消: {hearing.cancel_reason}"
    local = hearing.scheduled_at.astimezone(SHANGHAI)
    return f"公开听证定于{local:%Y-%m-%d %H:%M}在{hearing.place}举行"


def _require_future(at: datetime, now: datetime) -> None:
    require_aware(at, "the hearing time")
    if at <= now:
        raise HearingInPast(
            f"a hearing in the past: {at.isoformat()} is not after {now.isoformat()}"
        )
