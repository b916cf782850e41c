"""Masks for showing personal data to people who need to recognise it, not to read it.

A rule that would leave nothing masked (a one-character name, a very short number) masks the
whole value instead: a mask must never give the value back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol, overload

_MOBILE = re.compile(r"1[3-9][0-9]{9}")


class _Mask(Protocol):
    @overload
    def __call__(self, s: str) -> str: ...
    @overload
    def __call__(self, s: None) -> None: ...
    def __call__(self, s: str | None) -> str | None: ...


def _keeping_none(rule: Callable[[str], str]) -> _Mask:
    # Optional fields are common; callers should not need an `if` around every mask.
    def mask(s: str | None) -> str | None:
        return None if s is None else rule(s)

    mask.__name__ = rule.__name__
    mask.__doc__ = rule.__doc__
    return mask  # type: ignore[return-value]


def _keep(s: str, head: int, tail: int) -> str:
    if len(s) <= head + tail:
        return "*" * len(s)
    return s[:head] + "*" * (len(s) - head - tail) + s[len(s) - tail :]


@_keeping_none
def mask_name(s: str) -> str:
    """First character, then one '*' per further character: "欧阳娜娜" → "欧***"."""
    return _keep(s.strip(), 1, 0)


@_keeping_none
def mask_id_number(s: str) -> str:
    """First 3 and last 2 characters: "440781199001011234" → "440*************34"."""
    return _keep(s.strip(), 3, 2)


@_keeping_none
def mask_phone(s: str) -> str:
    """Mobiles keep 3 + 4 digits ("138****5678"); other numbers keep the last 2."""
    s = s.strip()
    return _keep(s, 3, 4) if _MOBILE.fullmatch(s) else _keep(s, 0, 2)


@_keeping_none
def mask_address(s: str) -> str:
    """First 6 characters (about the district) then "***"; short ones keep half."""
    s = s.strip()
    return (s[:6] if len(s) > 6 else s[: len(s) // 2]) + "***"
