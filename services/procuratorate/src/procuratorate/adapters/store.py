"""Where the procuratorate keeps its supervision cases, suggestions, hearings, judicial-aid
applications, dispute reports and refused referrals: the shared repository, with parties'
personal data sealed at rest, and the queries the consumers and the reminder pass need."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.messaging.refusals import RefusedOrder
from fengqiao.storage import IndexSpec, Repository, Sequence, applicant_seal, party_seal
from fengqiao.storage.mongo import Document
from procuratorate.domain.dispute_report import DisputeReport
from procuratorate.domain.hearing import Hearing
from procuratorate.domain.judicial_aid import AidApplication
from procuratorate.domain.suggestion import Suggestion, SuggestionStatus
from procuratorate.domain.supervision import SupervisionCase

CASES = "supervision_cases"
SUGGESTIONS = "suggestions"
HEARINGS = "hearings"
AID = "aid_applications"
REPORTS = "dispute_reports"
REFUSALS = "refused_referrals"
COUNTERS = "counters"
INDEXES = [
    IndexSpec(CASES, (("received_at", -1),)),
    IndexSpec(CASES, (("status", 1),)),
    IndexSpec(SUGGESTIONS, (("issued_at", -1),)),
    IndexSpec(SUGGESTIONS, (("next_reminder_at", 1),)),
    IndexSpec(HEARINGS, (("scheduled_at", -1),)),
    IndexSpec(AID, (("submitted_at", -1),)),
    IndexSpec(REPORTS, (("sent_at", -1),)),
]


class Stores:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        seal = party_seal("procuratorate")
        self.db = db
        self.cases = Repository(db[CASES], SupervisionCase, seal=seal)
        self.suggestions = Repository(db[SUGGESTIONS], Suggestion)
        self.hearings = Repository(db[HEARINGS], Hearing)
        self.aid = Repository(db[AID], AidApplication, seal=applicant_seal("procuratorate"))
        self.reports = Repository(db[REPORTS], DisputeReport, seal=seal)
        self.refusals = Repository(db[REFUSALS], RefusedOrder)
        self.counters = Sequence(db[COUNTERS])  # 听证 TZ-2026-0001, 救助 JZ-2026-0001

    async def reminders_due(self, now: datetime) -> list[Suggestion]:
        """Suggestions awaiting their reply whose next reminder has come."""
        where = {"status": SuggestionStatus.ISSUED.value, "next_reminder_at": {"$lte": now}}
        found = self.suggestions.collection.find(where)
        return [self.suggestions.from_doc(doc) async for doc in found]

    async def number(self, kind: str, year: int) -> int:
        return await self.counters.take(kind, year)
