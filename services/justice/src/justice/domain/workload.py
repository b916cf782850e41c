"""Mediator load (调解员在办案件数): what opens and closes a case on a mediator's books.

A mediation counts against its mediator from acceptance (受理, when the mediator is assigned)
until it ends in agreement or failure. Confirmation by the court is the court's work, so an
agreed mediation waiting for it no longer occupies the mediator; a returned order never did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from justice.domain.mediation import Mediation, MediationStatus

OPEN_STATUSES = frozenset({MediationStatus.ACCEPTED, MediationStatus.IN_SESSION})


def holds_load(mediation: Mediation) -> bool:
    """在办: whether the mediation counts against its mediator's capacity now."""
    return mediation.choice is not None and mediation.status in OPEN_STATUSES


def load_change(before: MediationStatus, after: MediationStatus) -> int:
    """+1 when a step opens a case for the mediator, -1 when it closes one, else 0."""
    return int(after in OPEN_STATUSES) - int(before in OPEN_STATUSES)


def open_cases(mediations: Iterable[Mediation]) -> dict[str, int]:
    """在办件数 by mediator id, as the choice rules take it."""
    counts: Counter[str] = Counter(
        m.choice.mediator_id for m in mediations if m.choice is not None and holds_load(m)
    )
    return dict(counts)
