"""HTTP schemas of the office's directory: committees (调委会), mediators with their load, the
expert pool (专家库) and legal-aid lawyers."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from justice.domain.people import Committee, Expert, Lawyer, Mediator


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
