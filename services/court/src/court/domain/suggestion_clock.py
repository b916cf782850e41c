"""逾期未回复: a judicial suggestion whose reply is overdue is flagged once on its record, and the
department is urged (催复) with a red card, so a pass that runs twice sends nothing twice."""

from __future__ import annotations

from datetime import datetime

from court.domain.suggestion import JudicialSuggestion
from fengqiao.calendar import SHANGHAI
from fengqiao.contracts.codes import Card, Clock, Level
from fengqiao.contracts.events import CaseSupervised
from fengqiao.contracts.orders import Notice

CLOCK_DESK = "司法建议跟踪"  # the actor on the record: the court's tracking, not a person


def flag_overdue(
    suggestion: JudicialSuggestion, *, now: datetime, level: Level = Level.TOWN
) -> list[Notice]:
    """逾期催复: flag an overdue suggestion once and urge the department; else nothing."""
    if suggestion.overdue_flagged_at is not None or not suggestion.overdue(now):
        return []
    due = suggestion.reply_due
    shown = due.astimezone(SHANGHAI)
    note = f"司法建议《{suggestion.subject}》应于{shown:%Y年%m月%d日 %H:%M}前回复, 现已逾期"
    suggestion.log(at=now, actor=CLOCK_DESK, note=note)
    suggestion.overdue_flagged_at = now
    urge = CaseSupervised(
        case_id=suggestion.id,
        assignment_id=suggestion.assignment_id,
        clock=Clock.FINISH,
        card=Card.RED,
        due_at=due,
        level=level,
        notice=f"{note}, 请立即书面回复"[:2000],
    )
    return [Notice(suggestion.department, urge)]
