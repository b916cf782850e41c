"""HTTP schemas of legal aid (法律援助): the application and the bodies of its steps. The
applicant is shown masked except to legal-aid officers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.security import Caller
from fengqiao.storage import masked_party
from justice.domain.legal_aid import LegalAidApplication
from justice.domain.legal_aid_steps import AidRequest

AID_OFFICERS = ("legal_aid_officer",)  # 法律援助工作人员: the staff handling applications


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AidRequestIn(AidRequest):
    """申请法律援助."""

    model_config = ConfigDict(extra="forbid")


class ReviewIn(_In):
    """审查: omit ``deny_reason`` to decide by the grounds and means test."""

    deny_reason: str | None = Field(default=None, min_length=1, max_length=2000)


class LawyerIn(_In):
    """指派律师: omit ``lawyer_id`` for the best-fitting lawyer with room."""

    lawyer_id: str | None = Field(default=None, min_length=1, max_length=64)


class AidClosureIn(_In):
    result: str = Field(min_length=1, max_length=5000)


class AidRead(LegalAidApplication):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class AidPage(BaseModel):
    items: list[AidRead]
    next_cursor: str | None = None


def aid_read(app: LegalAidApplication, caller: Caller) -> AidRead:
    """The application; the applicant masked except to legal-aid officers, who handle it."""
    data = app.model_dump()
    if not caller.has_any(*AID_OFFICERS):
        data["applicant"] = masked_party(app.applicant).model_dump()
    return AidRead.model_validate(data)
