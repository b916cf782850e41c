"""Parties' personal data: sealed (AES-GCM, bound to the case id) before it is stored, masked
for ordinary reads, opened only for callers whose role may see it and for transfers."""

from __future__ import annotations

from fengqiao.contracts.events import Party
from fengqiao.security import (
    FieldCipher,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
)
from intake.domain.case import SealedParty

PERSONAL = ("name", "id_number", "phone", "address")


class PartyVault:
    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher

    def seal(self, party: Party, *, case_id: str) -> SealedParty:
        personal = party.model_dump(include=set(PERSONAL))
        return SealedParty(
            role=party.role,
            sealed=self._cipher.seal(personal, context=case_id),
            masked={
                "name": mask_name(party.name),
                "id_number": mask_id_number(party.id_number),
                "phone": mask_phone(party.phone),
                "address": mask_address(party.address),
            },
        )

    def open(self, party: SealedParty, *, case_id: str) -> Party:
        return Party(role=party.role, **self._cipher.open(party.sealed, context=case_id))

    def masked(self, party: SealedParty) -> Party:
        masked = {k: v for k, v in party.masked.items() if k in PERSONAL}
        return Party(role=party.role, **{**masked, "name": masked.get("name") or "*"})
