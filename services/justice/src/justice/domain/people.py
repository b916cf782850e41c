"""The office's pools: mediation committees (调委会), mediators (调解员), the expert pool
(专家库) and legal-aid lawyers (法律援助律师), each with specialties, a home and a capacity.

A mediator may sit on several committees, as in a town where the same few people serve the
joint committee and the field committees alike.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from fengqiao.geo import haversine_m
from justice.domain.fields import CommitteeField

_ID = r"^[A-Za-z0-9_.-]{1,64}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Committee(_Frozen):
    """人民调解委员会: one per field; ``name`` is what the hub's order may put in ``unit``."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=100)
    field: CommitteeField


class _Placed(_Frozen):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=100)
    specialties: tuple[CommitteeField, ...] = ()
    lon: float = Field(ge=-180, le=180, description="home or office, WGS-84")
    lat: float = Field(ge=-90, le=90)
    active: bool = True

    def distance_m(self, lon: float, lat: float) -> float:
        return haversine_m(self.lon, self.lat, lon, lat)

    def knows(self, field: CommitteeField) -> bool:
        return field in self.specialties


class Mediator(_Placed):
    """调解员: a member of one or more committees, taking up to ``capacity`` open cases."""

    committees: tuple[str, ...] = Field(min_length=1)
    capacity: int = Field(default=5, ge=1, description="open cases at a time")
    phone: str | None = None


class Expert(_Placed):
    """专家库成员: a doctor, engineer, agronomist… consulted on a case, not its mediator."""

    title: str = Field(default="", max_length=100, description="e.g. 主任医师, 农艺师")


class Lawyer(_Frozen):
    """法律援助律师: takes legal-aid cases in ``specialties``, up to ``capacity`` at a time."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=100)
    firm: str = Field(min_length=1, max_length=100)
    specialties: tuple[CommitteeField, ...] = ()
    capacity: int = Field(default=5, ge=1)
    active: bool = True
    phone: str | None = None
