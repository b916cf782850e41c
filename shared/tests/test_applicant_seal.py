"""An application's one applicant sealed at rest in place, opened whole; an application stored
with its applicant as a one-party ``parties`` list (the justice office's former layout) opens the
same."""

from __future__ import annotations

import os

from fengqiao.contracts.events import Party
from fengqiao.security import FieldCipher
from fengqiao.storage import ApplicantSeal, PartySeal

WU = Party(name="伍阿四", role="applicant", id_number="440781198001011234", phone="13800001111")


def test_the_applicant_is_sealed_in_place_and_opens_whole() -> None:
    cipher = FieldCipher(os.urandom(32))
    vault = ApplicantSeal(cipher)
    doc: dict[str, object] = {"id": "a-1", "applicant": WU.model_dump(), "amount": 3000}
    stored = vault.seal(doc, context="a-1")
    text = repr(stored)
    assert "伍阿四" not in text and "440781198001011234" not in text and "13800001111" not in text
    assert stored["applicant"]["role"] == "applicant" and "sealed" in stored["applicant"]
    assert stored["amount"] == 3000 and "parties" not in stored
    assert vault.open(stored, context="a-1") == doc
    assert vault.seal(stored, context="a-1") == stored  # sealing twice changes nothing
    # sealed as the party seal seals a party in ``parties``
    as_party = PartySeal(cipher).open({"parties": [stored["applicant"]]}, context="a-1")
    assert as_party["parties"] == [WU.model_dump()]


def test_an_applicant_stored_as_a_one_party_list_opens_as_the_applicant() -> None:
    cipher = FieldCipher(os.urandom(32))
    former = PartySeal(cipher).seal({"id": "a-2", "parties": [WU.model_dump()]}, context="a-2")
    opened = ApplicantSeal(cipher).open(former, context="a-2")
    assert opened == {"id": "a-2", "applicant": WU.model_dump()}
