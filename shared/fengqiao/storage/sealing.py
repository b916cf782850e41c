"""Parties' personal data sealed at rest by the repository, so domain models stay plain.

Every ``parties`` list in a stored document, at any depth, holds parties in the shape of
``fengqiao.contracts.events.Party``; their name, ID number, phone and address are encrypted
(AES-GCM, bound to the aggregate's id) before the write and opened after the read. Only the role
and a masked copy stay readable in the database, for people looking at it directly. What an
API shows is its own business: ``masked_party`` gives the form ordinary reads should show.
"""

from __future__ import annotations

from typing import Any

from fengqiao.contracts.events import Party
from fengqiao.security import (
    FieldCipher,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    service_secret,
)

PERSONAL = ("name", "id_number", "phone", "address")
KEY = "parties"


def masked_party(party: Party) -> Party:
    """The party as ordinary reads show it: name, ID number, phone and address masked."""
    return Party(
        role=party.role,
        name=mask_name(party.name) or "*",
        id_number=mask_id_number(party.id_number),
        phone=mask_phone(party.phone),
        address=mask_address(party.address),
    )


def party_seal(service: str) -> PartySeal:
    """The seal of ``service``'s stores, with its field key (``FENGQIAO_<SVC>_FIELD_KEY``)."""
    return PartySeal(FieldCipher(service_secret(service, "field-key")))


def applicant_seal(service: str) -> ApplicantSeal:
    """The seal of ``service``'s applications, with the same field key as ``party_seal``."""
    return ApplicantSeal(FieldCipher(service_secret(service, "field-key")))


class PartySeal:
    """Seals and opens the ``parties`` of a document; ``context`` is the aggregate's id."""

    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher

    def seal(self, doc: dict[str, Any], *, context: str) -> dict[str, Any]:
        sealed: dict[str, Any] = _walk(doc, lambda p: self._seal_one(p, context))
        return sealed

    def open(self, doc: dict[str, Any], *, context: str) -> dict[str, Any]:
        opened: dict[str, Any] = _walk(doc, lambda p: self._open_one(p, context))
        return opened

    def _seal_one(self, party: dict[str, Any], context: str) -> dict[str, Any]:
        if "sealed" in party:
            return party
        personal = {k: party.get(k) for k in PERSONAL}
        masked = masked_party(Party.model_validate(party))
        rest = {k: v for k, v in party.items() if k not in PERSONAL}
        return {
            **rest,
            "sealed": self._cipher.seal(personal, context=context),
            "masked": masked.model_dump(include=set(PERSONAL)),
        }

    def _open_one(self, party: dict[str, Any], context: str) -> dict[str, Any]:
        if "sealed" not in party:
            return party
        rest = {k: v for k, v in party.items() if k not in ("sealed", "masked")}
        return {**rest, **self._cipher.open(party["sealed"], context=context)}


class ApplicantSeal(PartySeal):
    """The seal of a record whose one party is its ``applicant`` (an aid application): the
    applicant is sealed in place as a party in a ``parties`` list is. A record stored with its
    applicant as a one-party ``parties`` list instead (the justice office's legal-aid
    applications until the seal was shared) opens the same."""

    def seal(self, doc: dict[str, Any], *, context: str) -> dict[str, Any]:
        sealed = super().seal(doc, context=context)
        if "applicant" in doc:
            sealed["applicant"] = self._seal_one(doc["applicant"], context)
        return sealed

    def open(self, doc: dict[str, Any], *, context: str) -> dict[str, Any]:
        opened = super().open(doc, context=context)
        if "applicant" in opened:
            opened["applicant"] = self._open_one(opened["applicant"], context)
        elif opened.get(KEY):
            opened["applicant"] = opened.pop(KEY)[0]
        return opened


def _walk(value: Any, change: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: [change(p) if isinstance(p, dict) else p for p in v]
            if k == KEY and isinstance(v, list)
            else _walk(v, change)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_walk(v, change) for v in value]
    return value
