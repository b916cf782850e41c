"""公开听证: a hearing is numbered in sequence once its rules are met, so a refusal takes no
number and saves nothing. Its later steps go through ``steps.change``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from procuratorate.bootstrap import Procuratorate
from procuratorate.domain import hearings
from procuratorate.domain.hearing import Hearing, Participant
from procuratorate.handlers.steps import PENDING


async def schedule_hearing(
    proc: Procuratorate,
    *,
    subject: str,
    at: datetime,
    place: str,
    participants: Sequence[Participant],
    by: str,
    case_id: str | None,
) -> Hearing:
    """安排公开听证, on a supervision case (which must exist) or standalone."""
    if case_id is not None:
        await proc.stores.cases.get(case_id)
    now = proc.clock()
    hearing = hearings.schedule(
        PENDING,
        subject=subject,
        at=at,
        place=place,
        participants=participants,
        by=by,
        now=now,
        case_id=case_id,
        min_officers=proc.settings.hearing_min_officers,
    )
    hearing.id = await proc.numbered("TZ", now)
    return await proc.stores.hearings.add(hearing)
