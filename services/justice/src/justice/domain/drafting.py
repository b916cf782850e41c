"""起草协议: the agreement as the mediator writes it down, before the office numbers it.

The office checks a draft completely before it takes a number from its yearly sequence, so a
draft it must refuse (the mediation cannot agree now, two parties missing, a signature in the
future) never burns a number: 都斛调〔2026〕 numbers are handed out without gaps where possible.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from fengqiao.contracts.events import Party
from justice.domain.errors import InvalidRequest
from justice.domain.mediation import Agreement, Mediation
from justice.domain.mediation import MediationStatus as S
from justice.domain.numbering import SHANGHAI

Term = Annotated[str, Field(min_length=1, max_length=2000)]
PLACEHOLDER = "（待编号）"


class AgreementDraft(BaseModel):
    """协议草稿: facts, terms and performance; parties default to the mediation's own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: str = Field(min_length=1, max_length=10_000, description="纠纷主要事实")
    terms: list[Term] = Field(min_length=1, max_length=100, description="协议内容, in order")
    parties: list[Party] | None = Field(
        default=None, max_length=200, description="signatories; omit: the mediation's parties"
    )
    performance_deadline: date | None = Field(default=None, description="履行期限")
    performance_manner: str = Field(default="", max_length=2000, description="履行方式")
    signed_at: AwareDatetime | None = Field(default=None, description="omit: now")


def draft(mediation: Mediation, text: AgreementDraft, *, now: datetime) -> Agreement:
    """协议草稿 checked against the mediation: an Agreement still to be numbered, or a refusal."""
    mediation.check(S.AGREED, at=now)
    if mediation.choice is None:
        raise InvalidRequest(f"mediation {mediation.id} has no mediator to sign the agreement")
    signed_at = text.signed_at or now
    if signed_at > now:
        raise InvalidRequest("an agreement is recorded once it is signed, not before")
    if mediation.accepted_at is not None and signed_at < mediation.accepted_at:
        raise InvalidRequest("an agreement cannot be signed before the mediation was accepted")
    deadline = text.performance_deadline
    if deadline is not None and deadline < signed_at.astimezone(SHANGHAI).date():
        raise InvalidRequest("the performance deadline is before the agreement was signed")
    parties = text.parties if text.parties is not None else mediation.parties
    try:
        return Agreement(
            number=PLACEHOLDER,
            parties=list(parties),
            facts=text.facts,
            terms=list(text.terms),
            performance_deadline=deadline,
            performance_manner=text.performance_manner,
            signed_at=signed_at,
        )
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise InvalidRequest(f"the agreement cannot be drawn up: {problems}") from None


def numbered(agreement: Agreement, number: str) -> Agreement:
    """编号: the checked draft with the number the office gave it."""
    return agreement.model_copy(update={"number": number})
