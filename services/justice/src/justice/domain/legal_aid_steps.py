"""法律援助办理: submitting, reviewing, assigning a lawyer (指派律师) and closing an application.

A lawyer is chosen among the active ones with room left: the one who knows the matter's field,
then the lightest load for their capacity, then the lower id; or named by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from pydantic import BaseModel, Field

from fengqiao.contracts.codes import Category
from fengqiao.contracts.events import Party
from justice.domain.errors import (
    InvalidRequest,
    LawyerUnavailable,
    NoLawyerAvailable,
    UnknownLawyer,
)
from justice.domain.fields import CommitteeField, field_for
from justice.domain.legal_aid import (
    DEFAULT_THRESHOLD,
    Eligibility,
    Entry,
    LegalAidApplication,
    LegalAidStatus,
    SpecialGround,
    assess,
)
from justice.domain.people import Lawyer

A = LegalAidStatus


class AidRequest(BaseModel):
    """申请材料: what the applicant states; grounds are checked by the reviewer's documents."""

    applicant: Party
    matter: str = Field(min_length=1, max_length=2000)
    category: Category
    income_per_person: Decimal = Field(ge=0)
    household_size: int = Field(ge=1, le=50)
    grounds: list[SpecialGround] = Field(default_factory=list)


def submit(
    application_id: str, request: AidRequest, *, by: str, now: datetime
) -> LegalAidApplication:
    """申请法律援助: the application is registered as submitted."""
    app = LegalAidApplication(
        id=application_id,
        field=field_for(request.category),
        submitted_at=now,
        **request.model_dump(),
    )
    app.history.append(Entry(at=now, status=A.SUBMITTED, actor=by, note=request.matter[:200]))
    return app


def review(
    app: LegalAidApplication, *, by: str, now: datetime, threshold: Decimal = DEFAULT_THRESHOLD
) -> Eligibility:
    """审查: approve or deny by the grounds and the means test; returns the conclusion."""
    app.check(A.APPROVED, at=now)
    found = assess(app.income_per_person, app.grounds, threshold=threshold)
    if found.eligible:
        app.move(A.APPROVED, at=now, actor=by, note=found.reason)
    else:
        app.move(A.DENIED, at=now, actor=by, note=found.reason)
        app.denial_reason = found.reason
    app.eligibility = found
    return found


def deny(app: LegalAidApplication, *, reason: str, by: str, now: datetime) -> None:
    """不予援助: refused on other grounds (e.g. the matter is outside legal aid's scope)."""
    if not reason.strip():
        raise InvalidRequest("a denial needs its reason")
    app.move(A.DENIED, at=now, actor=by, note=reason)
    app.denial_reason = reason


def choose_lawyer(
    lawyers: Sequence[Lawyer],
    *,
    field: CommitteeField,
    load: Mapping[str, int],
    lawyer_id: str | None = None,
) -> Lawyer:
    """选派律师: the named lawyer (must be active), else the best-fitting one with room."""
    if lawyer_id is not None:
        named = next((lw for lw in lawyers if lw.id == lawyer_id), None)
        if named is None:
            raise UnknownLawyer(f"no legal-aid lawyer {lawyer_id!r}")
        if not named.active:
            raise LawyerUnavailable(f"lawyer {named.id} ({named.name}) is not active")
        return named
    free = [lw for lw in lawyers if lw.active and load.get(lw.id, 0) < lw.capacity]
    if not free:
        raise NoLawyerAvailable("no active legal-aid lawyer has room; name one by hand")
    return min(
        free,
        key=lambda lw: (
            0 if field in lw.specialties else 1,
            Fraction(load.get(lw.id, 0), lw.capacity),
            lw.id,
        ),
    )


def assign_lawyer(app: LegalAidApplication, lawyer: Lawyer, *, by: str, now: datetime) -> None:
    """指派律师: an approved application gets its lawyer."""
    app.move(A.LAWYER_ASSIGNED, at=now, actor=by, note=f"{lawyer.name}（{lawyer.firm}）")
    app.lawyer_id, app.lawyer_name = lawyer.id, lawyer.name


def close(app: LegalAidApplication, *, result: str, by: str, now: datetime) -> None:
    """结案: the lawyer's work is done; the result (e.g. judgment, settlement) is kept."""
    if not result.strip():
        raise InvalidRequest("closing a legal-aid case needs its result")
    app.move(A.CLOSED, at=now, actor=by, note=result)
    app.result, app.closed_at = result, now


def open_cases_by_lawyer(apps: Iterable[LegalAidApplication]) -> dict[str, int]:
    """在办件数 by lawyer id: applications with a lawyer and not yet closed."""
    counts: dict[str, int] = {}
    for app in apps:
        if app.status is A.LAWYER_ASSIGNED and app.lawyer_id is not None:
            counts[app.lawyer_id] = counts.get(app.lawyer_id, 0) + 1
    return counts
