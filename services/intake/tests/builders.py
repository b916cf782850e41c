"""Builders for the hub's domain tests: cases, forces' events and whole rounds of the loop.

Pure: everything is built in memory from fixed, timezone-aware datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fengqiao.contracts.codes import Category, Channel, Flag, Outcome, Severity
from fengqiao.contracts.events import (
    CaseAccepted,
    CaseFeedback,
    CaseProgressed,
    CaseReturned,
    Location,
    Party,
)
from fengqiao.contracts.orders import Notice
from intake.domain import loop
from intake.domain.assignment import Assignment
from intake.domain.case import Case, Officer, SealedParty
from intake.domain.policy import Policy, default_policy, parse_policy
from intake.domain.registration import Intake, register

# Monday 2 March 2026, 09:00 in Shanghai: no holiday anywhere near.
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

OFFICER = Officer(id="officer-1", name="王晓明")
CHIEF = Officer(id="officer-2", name="赵丽华")

# 都斛镇 (台山市, 江门市): city, county, town, village and grid codes.
DUHU = Location(
    city="440700",
    county="440781",
    town="440781105",
    village="440781105201",
    grid="440781105201001",
    address="都斛镇莲湖村",
)
ELSEWHERE = Location(
    city="620900",
    county="620981",
    town="620981100",
    village="620981100201",
    grid="620981100201003",
    address="玉门市玉门镇",
)

# A citizen as the hub knows them; these strings must never reach the public view.
CITIZEN_NAME = "陈阿福"
CITIZEN_PHONE = "13812345678"
CITIZEN_ID = "440781196501011234"
CITIZEN_ADDRESS = "都斛镇莲湖村三巷8号"


def sealed_party(role: str = "applicant") -> SealedParty:
    """A stored party: the sealed blob is a dummy (encryption is not the domain's business)."""
    return SealedParty(
        role=role,
        sealed=f"sealed:{CITIZEN_NAME}|{CITIZEN_ID}|{CITIZEN_PHONE}|{CITIZEN_ADDRESS}",
        masked={"name": CITIZEN_NAME, "phone": CITIZEN_PHONE, "id_number": CITIZEN_ID},
    )


def party() -> Party:
    """The party as sent to a force with a dispatch."""
    return Party(
        name=CITIZEN_NAME, id_number=CITIZEN_ID, phone=CITIZEN_PHONE, address=CITIZEN_ADDRESS
    )


def new_intake(
    category: Category,
    *,
    severity: Severity = Severity.GENERAL,
    flags: set[Flag] | None = None,
    title: str = "群众诉求",
    description: str = "",
    location: Location = DUHU,
    reporter: str | None = None,
    channel: Channel = Channel.WALK_IN,
) -> Intake:
    return Intake(
        channel=channel,
        category=category,
        severity=severity,
        flags=flags or set(),
        title=title,
        description=description or title,
        location=location,
        reporter=reporter,
    )


def new_case(
    category: Category = Category.LAND_RURAL,
    *,
    severity: Severity = Severity.GENERAL,
    flags: set[Flag] | None = None,
    title: str = "土地承包经营权纠纷",
    description: str = "",
    location: Location = DUHU,
    reporter: str | None = None,
    case_id: str = "case-1",
    now: datetime = T0,
    policy: Policy | None = None,
    officer: Officer = OFFICER,
) -> Case:
    return register(
        case_id=case_id,
        tracking_code=f"FQ-{case_id}",
        intake=new_intake(
            category,
            severity=severity,
            flags=flags,
            title=title,
            description=description,
            location=location,
            reporter=reporter,
        ),
        parties=[sealed_party()],
        officer=officer,
        now=now,
        policy=policy or default_policy(),
    )


# ----- the forces' events -----------------------------------------------------------------


def accept_event(
    case: Case, assignment_id: str, at: datetime, handler: str = "调解员 林"
) -> CaseAccepted:
    return CaseAccepted(
        case_id=case.id, assignment_id=assignment_id, accepted_at=at, handler=handler
    )


def return_event(
    case: Case,
    assignment_id: str,
    at: datetime,
    reason: str = "不属本单位职责",
    reason_code: str = "not_competent",
) -> CaseReturned:
    return CaseReturned(
        case_id=case.id,
        assignment_id=assignment_id,
        returned_at=at,
        reason_code=reason_code,
        reason=reason,
    )


def progress_event(
    case: Case, assignment_id: str, at: datetime, note: str = "已约双方面谈"
) -> CaseProgressed:
    return CaseProgressed(case_id=case.id, assignment_id=assignment_id, at=at, note=note)


def feedback_event(
    case: Case,
    assignment_id: str,
    at: datetime,
    outcome: Outcome = Outcome.RESOLVED,
    summary: str = "双方达成调解协议",
) -> CaseFeedback:
    return CaseFeedback(
        case_id=case.id, assignment_id=assignment_id, at=at, outcome=outcome, summary=summary
    )


# ----- whole steps ------------------------------------------------------------------------


def by_agency(case: Case, agency: str) -> Assignment:
    """The live assignment of ``agency`` (exactly one)."""
    found = [a for a in case.live_assignments if a.agency == agency]
    assert len(found) == 1, f"{agency}: {found}"
    return found[0]


def assess_and_dispatch(
    case: Case, *, now: datetime, policy: Policy | None = None, officer: Officer = OFFICER
) -> list[Notice]:
    policy = policy or default_policy()
    loop.assess(case, policy=policy, officer=officer, now=now)
    return loop.dispatch(case, policy=policy, officer=officer, now=now, parties=[party()])


def work_all(
    case: Case,
    *,
    at: datetime,
    outcomes: dict[str, Outcome] | None = None,
) -> None:
    """Every live, open assignment is accepted and fed back at ``at`` (one minute apart)."""
    step = timedelta(minutes=1)
    for a in [a for a in case.live_assignments if a.open]:
        loop.accepted(case, accept_event(case, a.id, at), event_id=f"e-acc-{a.id}", agency=a.agency)
        outcome = (outcomes or {}).get(a.agency, Outcome.RESOLVED)
        loop.feedback(
            case,
            feedback_event(case, a.id, at + step, outcome=outcome),
            event_id=f"e-fb-{a.id}",
            agency=a.agency,
        )


def closed_case(
    category: Category = Category.LAND_RURAL,
    *,
    case_id: str = "case-1",
    now: datetime = T0,
    outcomes: dict[str, Outcome] | None = None,
    closed_after: timedelta = timedelta(days=2),
    **kwargs: Any,
) -> Case:
    """A case registered at ``now``, worked by every planned force, verified and closed."""
    case = new_case(category, case_id=case_id, now=now, **kwargs)
    assess_and_dispatch(case, now=now + timedelta(minutes=10))
    work_all(case, at=now + timedelta(hours=1), outcomes=outcomes)
    loop.verify(case, officer=OFFICER, now=now + closed_after, passed=True, note="经核查属实")
    loop.close(case, officer=OFFICER, now=now + closed_after, summary="纠纷化解, 结案归档")
    return case


def small_policy(**overrides: Any) -> Policy:
    """A policy with second-scale clocks for supervision tests."""
    data: dict[str, Any] = {
        "version": "test-1",
        "deadlines": {
            "simple": {"seconds": 300},
            "general": {"seconds": 600},
            "major": {"hours": 30},
            "extra_major": {"hours": 30},
        },
        "accept": {"seconds": 60},
        "levels": {
            "simple": "grid",
            "general": "village",
            "major": "town",
            "extra_major": "county",
        },
        "leader_severities": ["major", "extra_major"],
        "leaders": {
            "town": [{"name": "李建国", "title": "镇党委副书记"}],
            "county": [{"name": "黄志强", "title": "县委政法委副书记"}],
        },
        "escalation_recipients": ["platform", "county-hub"],
        "rules": [
            {
                "id": "grid-handle",
                "lead": {"agency": "grid", "action": "handle", "within": {"seconds": 150}},
            }
        ],
    }
    data.update(overrides)
    return parse_policy(data)
