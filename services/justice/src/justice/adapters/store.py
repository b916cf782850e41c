"""Where the office keeps its records: mediations, legal-aid applications, village advisers and
the orders it gave back, each in the shared repository with parties sealed at rest."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.messaging.refusals import RefusedOrder
from fengqiao.security import FieldCipher, service_secret
from fengqiao.storage import IndexSpec, PartySeal, Repository, party_seal
from fengqiao.storage.mongo import Document
from justice.domain.adviser_record import AdviserRecord
from justice.domain.legal_aid import LegalAidApplication
from justice.domain.mediation import Mediation
from justice.domain.workload import OPEN_STATUSES

SERVICE = "justice"
MEDIATIONS = "mediations"
LEGAL_AID = "legal_aid"
ADVISERS = "advisers"
REFUSALS = "refused_transfers"
COUNTERS = "counters"
DOCUMENTS = "agreement_documents"
INDEXES = [
    IndexSpec(MEDIATIONS, (("received_at", -1),)),
    IndexSpec(MEDIATIONS, (("status", 1),)),
    IndexSpec(MEDIATIONS, (("hub.case_id", 1),)),
    IndexSpec(LEGAL_AID, (("submitted_at", -1),)),
    IndexSpec(ADVISERS, (("registered_at", -1),)),
    IndexSpec(COUNTERS, (("kind", 1),)),
]


class ApplicantSeal(PartySeal):
    """The party seal for a legal-aid application, whose one party is ``applicant``: stored as a
    one-party ``parties`` list so the shared seal encrypts it like every other party."""

    def seal(self, doc: dict[str, Any], *, context: str) -> dict[str, Any]:
        doc = dict(doc)
        if "applicant" in doc:
            doc["parties"] = [doc.pop("applicant")]
        return super().seal(doc, context=context)

    def open(self, doc: dict[str, Any], *, context: str) -> dict[str, Any]:
        opened = dict(super().open(doc, context=context))
        if "applicant" not in opened and opened.get("parties"):
            opened["applicant"] = opened.pop("parties")[0]
        return opened


def field_cipher() -> FieldCipher:
    """The office's field key (``FENGQIAO_JUSTICE_FIELD_KEY``): parties and filed documents."""
    return FieldCipher(service_secret(SERVICE, "field-key"))


class Stores:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db
        self.mediations = Repository(db[MEDIATIONS], Mediation, seal=party_seal(SERVICE))
        self.legal_aid = Repository(
            db[LEGAL_AID], LegalAidApplication, seal=ApplicantSeal(field_cipher())
        )
        self.advisers = Repository(db[ADVISERS], AdviserRecord)
        self.refusals = Repository(db[REFUSALS], RefusedOrder)
        self.counters = db[COUNTERS]
        self.documents = db[DOCUMENTS]

    async def open_mediations(self) -> list[Mediation]:
        """在办: mediations that hold a mediator's load now."""
        where = {"status": {"$in": [s.value for s in OPEN_STATUSES]}}
        return [self.mediations.from_doc(d) async for d in self.mediations.collection.find(where)]

    async def mediations_of_order(self, sender: str, case_id: str) -> list[Mediation]:
        """The mediations made from ``sender``'s orders for its case ``case_id``."""
        where = {"hub.case_id": case_id, "hub.sender": sender}
        return [self.mediations.from_doc(d) async for d in self.mediations.collection.find(where)]

    async def legal_aid_where(self, where: Document) -> list[LegalAidApplication]:
        return [self.legal_aid.from_doc(d) async for d in self.legal_aid.collection.find(where)]
