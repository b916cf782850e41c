"""The record every procuratorate aggregate keeps: the library's workflow (a status moved by a
table of allowed steps, and a history (流水) of every step), refused with the procuratorate's
errors and reason codes."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from fengqiao import workflow
from fengqiao.contracts.codes import CodeList
from procuratorate.domain.errors import IllegalTransition, InvalidRequest, TimeOutOfOrder

S = TypeVar("S", bound=CodeList)


class Workflow(workflow.Workflow[S], Generic[S]):
    """An aggregate with a status table; subclasses give ``table()`` and a default status."""

    illegal_transition = IllegalTransition
    time_out_of_order = TimeOutOfOrder


def require_aware(value: datetime, what: str) -> None:
    """Refuse a time without a zone: it cannot be compared with ``now`` (UTC)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidRequest(f"{what} needs a time zone: {value.isoformat()}")


def require_text(value: str, what: str) -> str:
    """Refuse blank text where a person must say something; return it stripped."""
    if not value.strip():
        raise InvalidRequest(f"{what} must not be blank")
    return value.strip()
