"""司法救助的申请、审查与决定: a reviewer ticks the grounds and exclusions that the facts
support; aid is granted only on a ground, with no exclusion, and within the cap."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from pydantic import ValidationError

from fengqiao.contracts.events import Party
from procuratorate.domain.errors import AidAboveCap, InvalidRequest, NoEligibleGround
from procuratorate.domain.judicial_aid import (
    DEFAULT_CAP,
    AidApplication,
    Exclusion,
    Ground,
    Relation,
)
from procuratorate.domain.judicial_aid import AidStatus as S
from procuratorate.domain.workflow import require_text

T = TypeVar("T", Ground, Exclusion)


def submit(
    application_id: str,
    *,
    applicant: Party,
    relation: Relation,
    harm: str,
    hardship: str,
    amount_requested: Decimal,
    now: datetime,
    case_id: str | None = None,
) -> AidApplication:
    """申请: registered as given; a blank harm or hardship, or a non-positive amount, is refused."""
    try:
        application = AidApplication(
            id=application_id,
            case_id=case_id,
            applicant=applicant,
            relation=relation,
            harm=require_text(harm, "the harm"),
            hardship=require_text(hardship, "the hardship"),
            amount_requested=amount_requested,
            submitted_at=now,
        )
    except ValidationError as error:
        raise InvalidRequest(f"judicial aid application: {error}") from error
    application.log(at=now, actor=applicant.name, note=f"申请救助 {amount_requested} 元")
    return application


def start_review(application: AidApplication, *, reviewer: str, now: datetime) -> None:
    """审查: a prosecutor takes the application up."""
    application.move(S.UNDER_REVIEW, at=now, actor=reviewer)
    application.reviewer = reviewer


def tick(
    application: AidApplication,
    *,
    grounds: Iterable[Ground],
    exclusions: Iterable[Exclusion] = (),
    by: str,
    now: datetime,
) -> None:
    """勾选: the grounds and exclusions the facts support; each tick replaces the last."""
    application.require_in(S.UNDER_REVIEW, to="tick its grounds")
    chosen, excluded = _unique(grounds), _unique(exclusions)
    note = "; ".join([*(g.zh for g in chosen), *(f"排除: {e.zh}" for e in excluded)]) or "无"
    application.log(at=now, actor=by, note=note)
    application.grounds, application.exclusions = chosen, excluded


def grant(
    application: AidApplication,
    *,
    amount: Decimal,
    by: str,
    now: datetime,
    cap: Decimal = DEFAULT_CAP,
) -> None:
    """决定救助: on a ticked ground with no exclusion, for a positive amount up to the cap."""
    application.require(S.GRANTED)
    if not application.grounds:
        raise NoEligibleGround(f"application {application.id}: no eligibility ground is ticked")
    if application.exclusions:
        excluded = "、".join(e.zh for e in application.exclusions)
        raise NoEligibleGround(f"application {application.id} is excluded: {excluded}")
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidRequest(f"the amount must be positive, in yuan and fen: {amount}")
    if amount > cap:
        raise AidAboveCap(f"{amount} yuan is above the cap of {cap} yuan")
    application.move(S.GRANTED, at=now, actor=by, note=f"救助金 {amount} 元")
    application.amount_granted, application.decided_at = amount, now


def deny(application: AidApplication, *, reason: str, by: str, now: datetime) -> None:
    """不予救助: with the reason given to the applicant."""
    application.require(S.DENIED)
    reason = require_text(reason, "the reason")
    application.move(S.DENIED, at=now, actor=by, note=reason)
    application.denial_reason, application.decided_at = reason, now


def _unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))
