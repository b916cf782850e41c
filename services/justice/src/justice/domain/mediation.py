"""The mediation (人民调解案件): one dispute the office mediates, from a hub order or a walk-in.

received → accepted → in session (once per session held) → agreed | failed; an agreed
mediation may go on to confirmation requested → confirmed | refused by the court (司法确认).
An order not yet accepted may be returned (退回) to the hub; a party refusing to mediate at all
ends an accepted mediation as failed before any session (人民调解法 第二十六条).
``steps`` and ``confirmation`` move it and say what each step owes the hub and the court.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from fengqiao import workflow
from fengqiao.contracts.codes import Category, CodeList, Outcome, Severity
from fengqiao.contracts.events import DocumentRef, Location, Party
from fengqiao.contracts.orders import Order
from justice.domain.choice import Choice
from justice.domain.errors import IllegalTransition, TimeOutOfOrder
from justice.domain.fields import CommitteeField


class MediationStatus(CodeList):
    RECEIVED = ("received", "已收案", "received")
    ACCEPTED = ("accepted", "已受理", "accepted")
    IN_SESSION = ("in_session", "调解中", "in session")
    AGREED = ("agreed", "达成协议", "agreement reached")
    FAILED = ("failed", "调解不成", "mediation failed")
    CONFIRMATION_REQUESTED = ("confirmation_requested", "申请司法确认", "confirmation requested")
    CONFIRMED = ("confirmed", "司法确认有效", "judicially confirmed")
    REFUSED = ("refused", "司法确认驳回", "confirmation refused")
    RETURNED = ("returned", "已退回", "returned to the hub")


S = MediationStatus
ALLOWED: dict[MediationStatus, frozenset[MediationStatus]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.RETURNED}),
    S.ACCEPTED: frozenset({S.IN_SESSION, S.FAILED}),
    S.IN_SESSION: frozenset({S.IN_SESSION, S.AGREED, S.FAILED}),
    S.AGREED: frozenset({S.CONFIRMATION_REQUESTED}),
    S.CONFIRMATION_REQUESTED: frozenset({S.CONFIRMED, S.REFUSED}),
    S.FAILED: frozenset(),
    S.CONFIRMED: frozenset(),
    S.REFUSED: frozenset(),
    S.RETURNED: frozenset(),
}


class Source(CodeList):
    HUB = ("hub", "综治中心转办", "hub order")
    WALK_IN = ("walk_in", "当事人申请", "walk-in application")


class Entry(workflow.Entry[MediationStatus]):
    """One step on the mediation's record (调解流水): when, who, and what happened."""


class Session(BaseModel):
    """调解记录: one meeting with the parties."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    place: str = Field(min_length=1, max_length=200)
    attendees: list[str] = Field(min_length=1, max_length=100)
    notes: str = Field(default="", max_length=10_000)


class Agreement(BaseModel):
    """人民调解协议书: what the parties signed; ``number`` is the office's (都斛调〔2026〕12号)."""

    model_config = ConfigDict(frozen=True)

    number: str = Field(min_length=1, max_length=60)
    parties: list[Party] = Field(min_length=2, max_length=200)
    facts: str = Field(min_length=1, max_length=10_000, description="纠纷主要事实")
    terms: list[str] = Field(min_length=1, max_length=100, description="协议内容, in order")
    performance_deadline: date | None = Field(default=None, description="履行期限")
    performance_manner: str = Field(default="", max_length=2000, description="履行方式")
    signed_at: datetime
    document: DocumentRef | None = Field(default=None, description="the rendered 协议书")

    def terms_text(self) -> str:
        return "；".join(f"{i}. {t}" for i, t in enumerate(self.terms, start=1))


class Confirmation(BaseModel):
    """司法确认: the order sent to the court for this agreement, and the court's answers."""

    agency: str
    assignment_id: str
    requested_at: datetime
    accepted_at: datetime | None = None
    handler: str | None = None
    decided_at: datetime | None = None
    outcome: Outcome | None = None
    ruling: str | None = Field(default=None, description="the court's summary: ruling number")
    documents: list[DocumentRef] = Field(default_factory=list)


class Mediation(workflow.Workflow[MediationStatus]):
    """The library's workflow over ``ALLOWED``, refused with the office's errors; no step may be
    dated before the mediation was received."""

    illegal_transition = IllegalTransition
    time_out_of_order = TimeOutOfOrder
    entry_type = Entry

    source: Source
    category: Category
    field: CommitteeField
    severity: Severity = Severity.GENERAL
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=10_000)
    location: Location
    parties: list[Party] = Field(default_factory=list)
    unit: str | None = Field(default=None, description="the committee the order asked for")
    hub: Order | None = None
    status: MediationStatus = S.RECEIVED
    received_at: datetime
    accepted_at: datetime | None = None
    choice: Choice | None = None
    sessions: list[Session] = Field(default_factory=list)
    agreement: Agreement | None = None
    failure_reason: str | None = None
    confirmation: Confirmation | None = None
    hub_feedback_at: datetime | None = Field(default=None, description="反馈 sent to the hub")
    hub_closed_at: datetime | None = Field(default=None, description="结案 heard from the hub")
    # Its own Entry, so the API's schema keeps its name; a list is invariant, hence the ignore.
    history: list[Entry] = Field(default_factory=list)  # type: ignore[assignment]

    def table(self) -> Mapping[MediationStatus, frozenset[MediationStatus]]:
        return ALLOWED

    def named(self) -> str:
        return f"mediation {self.id}"

    def began_at(self) -> datetime:
        return self.received_at
