"""What the hub says about its order after sending it: 督办 (supervision, a yellow or red card),
提级督办 (escalation to a higher level) and 结案 (the hub closed the case).

None of these changes the mediation's state: they are lines on its record, so the mediator sees
that the hub is waiting (or has closed the case) beside the office's own steps. They are kept
only for the order they concern, from the agency that sent it.
"""

from __future__ import annotations

from datetime import datetime

from fengqiao.contracts.events import CaseClosed
from fengqiao.contracts.orders import SenderNotice, notice_line
from justice.domain.errors import UnknownOrder
from justice.domain.mediation import Mediation

HubNotice = SenderNotice


def concerns(mediation: Mediation, event: HubNotice, *, agency: str) -> bool:
    """Whether the hub's notice is about this mediation's order (same sender, case, assignment)."""
    return mediation.hub is not None and mediation.hub.concerns(event, sender=agency)


def note(mediation: Mediation, event: HubNotice, *, agency: str, now: datetime) -> None:
    """督办 / 提级督办 / 结案: a line on the record; a closure is also kept as ``hub_closed_at``."""
    if not concerns(mediation, event, agency=agency):
        raise UnknownOrder(f"mediation {mediation.id} holds no order {event.case_id} of {agency}")
    text = notice_line(event)
    # The hub's clock may run ahead of ours; the record must stay in order all the same.
    last = mediation.history[-1].at if mediation.history else mediation.received_at
    at = max(now, last)
    mediation.log(at=at, actor=agency, note=text)
    if isinstance(event, CaseClosed):
        mediation.hub_closed_at = at
