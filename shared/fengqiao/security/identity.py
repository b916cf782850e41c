"""Checks of PRC resident identity numbers (GB 11643-1999) and phone numbers."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Explicit [0-9]: \d and str.isdigit also accept full-width and other Unicode digits.
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")
_LANDLINE = re.compile(r"0[0-9]{2,3}[0-9]{7,8}")
# Public service lines: 12345 (government hotline), 12348 (legal aid), 95xxx (enterprises).
_SERVICE = re.compile(r"[19][0-9]{4}")
# China has one time zone and no daylight saving: "today" is today at UTC+8.
_CHINA = timezone(timedelta(hours=8))


def _check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def validate_id_number(s: str) -> str:
    """The 18-character identity number, upper-cased; ValueError names the rule it breaks."""
    number = s.strip().upper()
    if len(number) != 18:
        raise ValueError(f"an identity number has 18 characters, this one has {len(number)}")
    if not _ID_SHAPE.fullmatch(number):
        raise ValueError(
            "an identity number is 17 digits followed by a digit or X as check character"
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError(
            f"the birth date {number[6:14]} in the identity number is not a real date"
        ) from None
    if born.year < 1900:
        raise ValueError(f"the birth year {born.year} in the identity number is before 1900")
    if born > datetime.now(_CHINA).date():
        raise ValueError(
            f"the birth date {born.isoformat()} in the identity number is in the future"
        )
    expected = _check_char(number[:17])
    if number[17] != expected:
        raise ValueError(
            f"the identity number's check character is {number[17]}, the checksum gives {expected}"
        )
    return number


def validate_phone(s: str) -> str:
    """A mainland mobile (without +86), landline with area code, or 5-digit service number."""
    number = s.strip().replace(" ", "").replace("-", "")
    if mobile := _MOBILE.fullmatch(number):
        return mobile.group(1)
    if _LANDLINE.fullmatch(number) or _SERVICE.fullmatch(number):
        return number
    raise ValueError(
        # The number itself stays out of the message: errors end up in logs.
        "not a phone number: expected a mobile (1 and 10 digits, optionally +86), "
        "a landline with its area code (0 and 9 to 11 digits), or a 5-digit service number"
    )
