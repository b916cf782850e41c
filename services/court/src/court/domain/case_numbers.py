"""案号: case numbers as the courts write them, e.g. ``(2026)粤0781民初123号``.

The year is the calendar year in China, the court code the court's own (粤0781 = 台山市),
the type mark (类型代字) the kind of case, the sequence the court's running counter, which the
service keeps and passes in.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from court.domain.errors import InvalidRequest
from fengqiao.calendar import SHANGHAI
from fengqiao.contracts.codes import CodeList


class CaseKind(CodeList):
    """案件类型: ``zh`` is the type mark written in the number."""

    CIVIL_FIRST_INSTANCE = ("civil_first_instance", "民初", "civil case, first instance")
    CIVIL_SPECIAL = ("civil_special", "民特", "civil special procedure (judicial confirmation)")
    PRE_LITIGATION = ("pre_litigation", "诉前调", "pre-litigation mediation")


class Court(BaseModel):
    """人民法院 / 人民法庭: the court whose numbers these are."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(default="粤0781", pattern=r"^[^\s()（）]+$", description="法院代字")
    name: str = Field(default="台山市人民法院都斛人民法庭", min_length=1)


DUHU = Court()  # 都斛人民法庭 of the 台山 court: the demo's court

_KINDS = {kind.zh: kind for kind in CaseKind}
_NUMBER = re.compile(
    r"^\((?P<year>\d{4})\)(?P<court>[^\s()（）]+?)"
    rf"(?P<kind>{'|'.join(_KINDS)})(?P<seq>\d+)号$"
)


class CaseNumber(BaseModel):
    """案号: one number; ``str()`` writes it the way the court does."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=1000, le=9999)
    court_code: str = Field(pattern=r"^[^\s()（）]+$")
    kind: CaseKind
    seq: int = Field(ge=1)

    def __str__(self) -> str:
        return f"({self.year}){self.court_code}{self.kind.zh}{self.seq}号"


def case_number(kind: CaseKind, seq: int, *, year: int, court: Court = DUHU) -> str:
    """案号: e.g. ``case_number(CaseKind.CIVIL_FIRST_INSTANCE, 123, year=2026)``."""
    if not 1000 <= year <= 9999:
        raise InvalidRequest(f"a case number's year has four digits, not {year}")
    if seq < 1:
        raise InvalidRequest(f"a case number's sequence starts at 1, not {seq}")
    return str(CaseNumber(year=year, court_code=court.code, kind=kind, seq=seq))


def parse_case_number(text: str) -> CaseNumber:
    """读案号: the parts of a number this module writes; InvalidRequest for anything else."""
    found = _NUMBER.match(text.strip())
    if found is None:
        raise InvalidRequest(f"{text!r} is not a case number like (2026)粤0781民初123号")
    return CaseNumber(
        year=int(found["year"]),
        court_code=found["court"],
        kind=_KINDS[found["kind"]],
        seq=int(found["seq"]),
    )


def year_in_china(at: datetime) -> int:
    """The year a moment falls in on Beijing time: 31 Dec 17:00 UTC is already the new year."""
    return at.astimezone(SHANGHAI).year
