"""监督案件: the body of each step on a supervision case, and what a read shows (its parties
unmasked only to the prosecutor handling it)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from fengqiao.storage import masked_party
from procuratorate.domain.supervision import SupervisionCase
from procuratorate.schemas.common import Body, Text
from procuratorate.schemas.suggestions import SuggestionRead


class AcceptanceIn(Body):
    handler: str | None = Field(
        default=None, min_length=1, max_length=100, description="承办检察官; default: the caller"
    )


class ReturnIn(Body):
    reason_code: str = Field(min_length=1, max_length=60, examples=["procuratorate.duplicate"])
    reason: str = Field(min_length=1, max_length=2000)


class NoteIn(Body):
    note: str = Text


class ClosureIn(Body):
    summary: str = Field(min_length=1, max_length=10_000)


class CaseRead(SupervisionCase):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class IssuedRead(BaseModel):
    case: CaseRead
    suggestion: SuggestionRead


def case_read(case: SupervisionCase, viewer: str) -> CaseRead:
    shown = (
        case
        if viewer == case.handler
        else case.model_copy(update={"parties": [masked_party(p) for p in case.parties]})
    )
    return CaseRead.model_validate(shown.model_dump())
