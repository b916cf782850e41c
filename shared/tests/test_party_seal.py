"""Parties sealed at rest: nothing personal stays readable in the stored document, the read
gives the parties back whole, and a sealed value moved to another record does not open."""

from __future__ import annotations

import os

import pytest

from fengqiao.contracts.events import Party
from fengqiao.security import FieldCipher
from fengqiao.security.fields import SealBroken
from fengqiao.storage import PartySeal, masked_party

HUANG = Party(name="黄大明", role="applicant", id_number="440781199001011234", phone="13800138000")


def seal() -> PartySeal:
    return PartySeal(FieldCipher(os.urandom(32)))


def test_every_parties_list_is_sealed_at_any_depth_and_opens_whole() -> None:
    vault = seal()
    doc: dict[str, object] = {
        "parties": [HUANG.model_dump()],
        "agreement": {"parties": [HUANG.model_dump(), {**HUANG.model_dump(), "name": "李二"}]},
        "sessions": [{"parties": [HUANG.model_dump()]}],
        "title": "黄大明诉李二",
    }
    stored = vault.seal(doc, context="m-1")
    text = repr(stored)
    assert "黄大明" not in text.replace("黄大明诉李二", "")
    assert "440781199001011234" not in text and "13800138000" not in text
    assert stored["parties"][0]["role"] == "applicant"
    assert stored["parties"][0]["masked"]["phone"] != "13800138000"
    assert vault.open(stored, context="m-1") == doc
    assert vault.seal(stored, context="m-1") == stored  # sealing twice changes nothing


def test_a_sealed_party_copied_to_another_record_does_not_open() -> None:
    vault = seal()
    stored = vault.seal({"parties": [HUANG.model_dump()]}, context="m-1")
    with pytest.raises(SealBroken):
        vault.open(stored, context="m-2")


def test_the_masked_form_hides_each_personal_field() -> None:
    shown = masked_party(HUANG)
    assert shown.role == "applicant"
    assert shown.name != HUANG.name and shown.name.startswith("黄")
    assert shown.id_number != HUANG.id_number and shown.phone != HUANG.phone
