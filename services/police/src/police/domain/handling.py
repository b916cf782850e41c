"""出警处置: the station's steps on an incident, and what each owes the hub for its orders.

A hub order is answered with the events the hub's assignment expects, in its order:
签收 ``case.accepted`` (at acceptance, or implied by the first dispatch), 进展
``case.progressed`` at dispatch, arrival, disposal and investigation, 反馈 ``case.feedback``
at closure; or 退回 ``case.returned`` before it is accepted. The station's own incidents
send nothing to the hub. Disposal also asks the grid to follow up (see ``linkage``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import Party
from fengqiao.contracts.orders import Notice, Order
from police.domain.errors import IllegalTransition, NoUnitAvailable, UnknownUnit
from police.domain.incident import Incident
from police.domain.incident import IncidentStatus as S
from police.domain.linkage import Linkage, follow_up
from police.domain.response import response_level
from police.domain.units import Unit, UnitKind, UnitStatus, nearest_available


def accept(incident: Incident, *, handler: str, now: datetime) -> list[Notice]:
    """签收: the station takes a hub order on and names who handles it."""
    order = _order(incident, to="accept")
    if incident.accepted_at is not None or incident.status is not S.REPORTED:
        raise IllegalTransition(f"incident {incident.id} is already accepted")
    incident.log(at=now, actor=handler, note="签收")
    incident.accepted_at, incident.handler = now, handler
    return [order.accepted(handler=handler, at=now)]


def return_to_hub(
    incident: Incident, *, reason_code: str, reason: str, by: str, now: datetime
) -> list[Notice]:
    """退回: an order that is not police business goes back, before it is accepted."""
    order = _order(incident, to="return")
    if incident.accepted_at is not None:
        raise IllegalTransition(
            f"incident {incident.id} was accepted; it can no longer be returned"
        )
    incident.move(S.RETURNED, at=now, actor=by, note=f"{reason_code}: {reason}")
    return [order.returned(reason_code=reason_code, reason=reason, at=now)]


def dispatch(
    incident: Incident,
    units: Sequence[Unit],
    *,
    by: str,
    now: datetime,
    unit_id: str | None = None,
    kinds: Iterable[UnitKind] | None = None,
) -> list[Notice]:
    """派警: send the nearest available unit (of ``kinds``), or the one the dispatcher names.

    The circle is set by the nearest available unit of any kind, whoever is sent, so that
    choosing a farther unit cannot loosen it. The chosen unit is marked dispatched (the
    caller saves it).
    """
    incident.require(S.DISPATCHED)
    loc = incident.location
    placed = loc.lon is not None and loc.lat is not None
    nearest = pick = None
    if loc.lon is not None and loc.lat is not None:
        nearest = nearest_available(units, loc.lon, loc.lat)
        pick = nearest if kinds is None else nearest_available(units, loc.lon, loc.lat, kinds=kinds)
    unit = _named(units, unit_id) if unit_id is not None else pick.unit if pick else None
    if unit is None:
        why = "no available unit" if placed else "no coordinates to find the nearest unit"
        raise NoUnitAvailable(f"incident {incident.id}: {why}; name the unit to send")
    if unit.status is not UnitStatus.AVAILABLE:
        raise IllegalTransition(f"unit {unit.id} is {unit.status.value}, not available")
    notices = (
        accept(incident, handler=unit.call_sign, now=now)
        if incident.hub and incident.accepted_at is None
        else []
    )
    incident.move(S.DISPATCHED, at=now, actor=by, note=unit.call_sign)
    unit.move(UnitStatus.DISPATCHED)
    incident.unit_id, incident.dispatched_at = unit.id, now
    incident.nearest_m = nearest.metres if nearest else None
    incident.level = response_level(incident.priority, incident.nearest_m)
    return notices + _progress(incident, now, f"已派警: {unit.call_sign}")


def arrive(incident: Incident, *, by: str, now: datetime) -> list[Notice]:
    """到场: the first unit reaches the scene; this stops the response circle's clock."""
    incident.move(S.ON_SCENE, at=now, actor=by)
    incident.arrived_at = now
    return _progress(incident, now, f"民警到达现场: {by}")


def dispose(
    incident: Incident,
    *,
    by: str,
    now: datetime,
    summary: str,
    parties: list[Party] | None = None,
    grid_follow_up: bool = True,
    linkage: Linkage | None = None,
) -> list[Notice]:
    """现场处置: what was done at the scene; the grid is asked to follow up unless declined.

    ``parties`` are the people the grid worker should visit (the caller unseals them).
    """
    incident.move(S.DISPOSED, at=now, actor=by, note=summary)
    incident.disposed_at, incident.disposal = now, summary
    notices = _progress(incident, now, f"现场处置: {summary}")
    if grid_follow_up:
        notices += follow_up(incident, now=now, parties=parties or [], linkage=linkage or Linkage())
    return notices


def investigate(incident: Incident, *, by: str, now: datetime, note: str) -> list[Notice]:
    """转入调查: e.g. a theft needs inquiries after the scene is secured."""
    incident.move(S.INVESTIGATING, at=now, actor=by, note=note)
    incident.investigation_at = now
    return _progress(incident, now, f"转入调查: {note}")


def close(
    incident: Incident, *, by: str, now: datetime, outcome: Outcome, summary: str
) -> list[Notice]:
    """办结: straight from disposal when settled on the spot, else after investigation."""
    incident.move(S.CLOSED, at=now, actor=by, note=f"{outcome.value}: {summary}")
    incident.closed_at, incident.outcome, incident.summary = now, outcome, summary
    order = incident.hub
    if order is None:
        return []
    return [order.feedback(outcome=outcome, summary=summary, at=now)]


def _order(incident: Incident, *, to: str) -> Order:
    if incident.hub is None:
        raise IllegalTransition(f"incident {incident.id} is not a hub order; cannot {to} it")
    return incident.hub


def _named(units: Sequence[Unit], unit_id: str) -> Unit:
    found = next((u for u in units if u.id == unit_id), None)
    if found is None:
        raise UnknownUnit(f"no unit {unit_id} on the roster")
    return found


def _progress(incident: Incident, now: datetime, note: str) -> list[Notice]:
    order = incident.hub
    if order is None:
        return []
    return [order.progressed(note=note, at=now)]
