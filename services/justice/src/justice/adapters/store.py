"""Where the office keeps its records: mediations, legal-aid applications, village advisers and
the orders it gave back, each in the shared repository with parties sealed at rest."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.messaging.refusals import RefusedOrder
from fengqiao.security import FieldCipher, service_secret
from fengqiao.storage import IndexSpec, Repository, Sequence, applicant_seal, party_seal
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
]


def field_cipher() -> FieldCipher:
    """The office's field key (``FENGQIAO_JUSTICE_FIELD_KEY``): filed documents (and, through
    the storage seals, parties)."""
    return FieldCipher(service_secret(SERVICE, "field-key"))


class Stores:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db
        self.mediations = Repository(db[MEDIATIONS], Mediation, seal=party_seal(SERVICE))
        self.legal_aid = Repository(
            db[LEGAL_AID], LegalAidApplication, seal=applicant_seal(SERVICE)
        )
        self.advisers = Repository(db[ADVISERS], AdviserRecord)
        self.refusals = Repository(db[REFUSALS], RefusedOrder)
        self.counters = Sequence(db[COUNTERS])  # 协议书编号
        self.documents = db[DOCUMENTS]

    async def open_mediations(self) -> list[Mediation]:
        """在办: mediations that hold a mediator's load now."""
        where = {"status": {"$in": [s.value for s in OPEN_STATUSES]}}
        return [self.mediations.from_doc(d) async for d in self.mediations.collection.find(where)]

    async def legal_aid_where(self, where: Document) -> list[LegalAidApplication]:
        return [self.legal_aid.from_doc(d) async for d in self.legal_aid.collection.find(where)]
