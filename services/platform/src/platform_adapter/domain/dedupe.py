"""De-duplication (去重): one case per incident, however many times the platform reports it.

The same ``event_id`` is guarded by the sync record keyed on it (see ``sync.receive``). A
*probable* duplicate — the same incident reported again through another channel under a new
``event_id`` — is the same reporter phone, the same area and the same category within a window
of an earlier event that made a case. Without a phone nothing ties two reports to one person,
so such an event is never judged a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fengqiao.contracts.codes import Category

DEFAULT_WINDOW = timedelta(hours=48)
_NOT_DIGIT = re.compile(r"\D")


def normalise_phone(phone: str | None) -> str | None:
    """The phone as bare digits without the +86 country code; None when nothing is left."""
    if phone is None:
        return None
    digits = _NOT_DIGIT.sub("", phone)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits or None


@dataclass(frozen=True)
class Facts:
    """去重要素: what the de-duplication rules compare about one event.

    ``case_id`` is the case the event made, None while the hub has not registered it yet.
    """

    event_id: str
    phone: str | None
    area_code: str
    category: Category
    reported_at: datetime
    case_id: str | None = None


@dataclass(frozen=True)
class New:
    """新事件: no earlier event matches; forward it to the hub as a new case."""


@dataclass(frozen=True)
class Duplicate:
    """重复件: attach to the case of ``of`` (None until that event's case is registered)."""

    of: str
    case_id: str | None


def judge(
    candidate: Facts, recent: Iterable[Facts], window: timedelta = DEFAULT_WINDOW
) -> New | Duplicate:
    """研判重复: ``recent`` holds earlier events that made (or are making) a case, not duplicates.

    The earliest match wins, so every repeat points at the one original, never at another repeat.
    """
    phone = normalise_phone(candidate.phone)
    if phone is None:
        return New()
    matches = [
        earlier
        for earlier in recent
        if earlier.event_id != candidate.event_id
        and normalise_phone(earlier.phone) == phone
        and earlier.area_code == candidate.area_code
        and earlier.category == candidate.category
        # Upstream order is not report order (two channels, two delays): either side counts.
        and abs(candidate.reported_at - earlier.reported_at) <= window
    ]
    if not matches:
        return New()
    original = min(matches, key=lambda f: (f.reported_at, f.event_id))
    return Duplicate(of=original.event_id, case_id=original.case_id)
