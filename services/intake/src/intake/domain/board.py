"""流程看板 upstream: a report that came from the provincial platform (粤平安) is followed there
too, so the hub tells its reporting agency each status the case reaches. Closure has its own
event (``case.closed``), registration too (``case.registered``); this covers what lies between,
and a reopening."""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.codes import Channel
from fengqiao.contracts.events import CaseUpdated
from fengqiao.contracts.orders import Notice
from intake.domain.case import Case, CaseStatus

# Reporters whose systems keep their own copy of the case and must not drift from the hub's.
FOLLOWED_CHANNELS = frozenset({Channel.PLATFORM})
TOLD_OTHERWISE = frozenset({CaseStatus.REGISTERED, CaseStatus.CLOSED})


def reporter_update(case: Case, *, was: CaseStatus, at: datetime) -> list[Notice]:
    """The update owed to the case's reporter after a step that moved it from ``was``."""
    if case.status == was or case.reporter is None or case.channel not in FOLLOWED_CHANNELS:
        return []
    if case.status in TOLD_OTHERWISE:
        return []
    last = case.timeline[-1] if case.timeline else None
    update = CaseUpdated(
        case_id=case.id,
        external_ref=case.external_ref,
        status=case.status.value,
        status_zh=case.status.zh,
        at=at,
        note=((last.reason or "") if last else "")[:2000],
    )
    return [Notice(case.reporter, update)]
