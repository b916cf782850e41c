"""HTTP schemas of the office's directory (committees, mediators, experts, lawyers), legal aid
and village advisers."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.security import Caller
from fengqiao.storage import masked_party
from justice.domain.adviser_record import AdviserRecord
from justice.domain.legal_aid import LegalAidApplication
from justice.domain.legal_aid_steps import AidRequest
from justice.domain.people import Committee, Expert, Lawyer, Mediator

AID_OFFICERS = ("legal_aid_officer",)  # 法律援助工作人员: the staff handling applications


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommitteeRead(Committee):
    members: list[str] = Field(description="ids of the mediators sitting on it")


class MediatorRead(Mediator):
    load: int = Field(description="在办: open mediations now")
    available: bool = Field(description="active and below capacity: the automatic choice may pick")


class LawyerRead(Lawyer):
    load: int = Field(description="在办: legal-aid cases assigned and not closed")


T = TypeVar("T")


class Listing(BaseModel, Generic[T]):
    items: list[T]


CommitteeList = Listing[CommitteeRead]
MediatorList = Listing[MediatorRead]
ExpertList = Listing[Expert]
LawyerList = Listing[LawyerRead]


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


class AdviserIn(_In):
    """聘任 the village's adviser; ``replace`` to appoint someone else (换聘)."""

    village_name: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=100)
    firm: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=40)
    since: date | None = None
    replace: bool = False


class AdviserRead(AdviserRecord):
    inbox: list[str] = Field(default_factory=list, exclude=True)


class AdviserPage(BaseModel):
    items: list[AdviserRead]
    next_cursor: str | None = None
