"""调解协议书编号: the office numbers its agreements per year, e.g. 都斛调〔2026〕12号.

The year is the one in China (Asia/Shanghai) when the agreement is recorded, so an agreement
signed on New Year's Eve just after midnight there counts in the new year.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
AGREEMENT_COUNTER = "agreement"


def year_of(now: datetime) -> int:
    """编号年度: the calendar year in China at ``now``."""
    return now.astimezone(SHANGHAI).year


def agreement_number(prefix: str, year: int, n: int) -> str:
    """协议书编号: ``prefix``〔year〕n号, the n-th agreement of the year."""
    if n < 1:
        raise ValueError(f"agreement numbers start at 1, not {n}")
    return f"{prefix}〔{year}〕{n}号"
