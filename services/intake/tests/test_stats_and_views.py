"""The hub's figures (办结率, 化解率, by category, force, area and period) and the citizen's
process board (流程看板), which must carry no personal data, no names and no reasons."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from builders import (
    CHIEF,
    CITIZEN_ADDRESS,
    CITIZEN_ID,
    CITIZEN_NAME,
    CITIZEN_PHONE,
    ELSEWHERE,
    OFFICER,
    T0,
    accept_event,
    assess_and_dispatch,
    by_agency,
    closed_case,
    feedback_event,
    new_case,
    progress_event,
    return_event,
    work_all,
)
from fengqiao.contracts.codes import Category, Outcome, Severity
from intake.domain import loop
from intake.domain.case import Case, CaseStatus
from intake.domain.policy import default_policy
from intake.domain.stats import Figures, Stats, compute
from intake.domain.supervision import supervise
from intake.domain.timeline import Step
from intake.domain.views import public_view

POLICY = default_policy()
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
# 1 April 2026, 01:00 in Shanghai — still 31 March in UTC
T_APRIL = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def follow_up(case: Case, satisfaction: int, now: datetime) -> None:
    loop.follow_up(
        case, officer=OFFICER, now=now, satisfaction=satisfaction, comment="", policy=POLICY
    )


def hub_cases() -> list[Case]:
    """Six cases of one hub.

    a  land, 都斛, resolved on time, satisfaction 5
    b  wage, 都斛, partly resolved on time (dept-labour partly, justice resolved), satisfaction 3
    c  theft, 玉门, registered in April (Shanghai), returned once by the police, re-sent,
       accepted, overdue
    d  land, 都斛, simple, resolved but closed late (day 5 of 3), no follow-up
    e  other, 都斛, registered only
    f  land, 都斛, resolved on time, then reopened by a satisfaction of 1
    """
    a = closed_case(Category.LAND_RURAL, case_id="case-a")
    follow_up(a, 5, T0 + 3 * DAY)

    b = closed_case(
        Category.LABOUR_WAGE,
        case_id="case-b",
        title="拖欠工资",
        outcomes={"dept-labour": Outcome.PARTLY_RESOLVED, "justice": Outcome.RESOLVED},
    )
    follow_up(b, 3, T0 + 3 * DAY)

    c = new_case(
        Category.THEFT, case_id="case-c", location=ELSEWHERE, now=T_APRIL, title="青蟹被盗"
    )
    assess_and_dispatch(c, now=T_APRIL + HOUR)
    loop.returned(c, return_event(c, "case-c-1", T_APRIL + 2 * HOUR), event_id="r", agency="police")
    assess_and_dispatch(c, now=T_APRIL + 3 * HOUR)
    loop.accepted(c, accept_event(c, "case-c-2", T_APRIL + 4 * HOUR), event_id="a", agency="police")
    supervise(c, now=T_APRIL + 60 * DAY, policy=POLICY)
    assert c.overdue

    d = closed_case(
        Category.LAND_RURAL, case_id="case-d", severity=Severity.SIMPLE, closed_after=5 * DAY
    )

    e = new_case(Category.OTHER, case_id="case-e", title="路灯损坏")

    f = closed_case(Category.LAND_RURAL, case_id="case-f")
    follow_up(f, 1, T0 + 3 * DAY)
    assert f.status == CaseStatus.REASSESSMENT
    return [a, b, c, d, e, f]


def figures(
    accepted: int,
    finished: int = 0,
    resolved: int = 0,
    on_time: int = 0,
    overdue: int = 0,
    returned: int = 0,
    satisfaction: list[int] | None = None,
    *,
    completion: float | None,
    resolution: float | None,
    mean: float | None = None,
    routed: int = 0,
    on_the_spot: int = 0,
) -> dict[str, Any]:
    def share(n: int) -> float | None:
        return round(n / accepted, 4) if accepted else None

    return {
        "accepted": accepted,
        "finished": finished,
        "resolved": resolved,
        "on_time": on_time,
        "overdue": overdue,
        "returned": returned,
        "on_the_spot": on_the_spot,
        "routed": routed,
        "satisfaction": satisfaction or [],
        "on_the_spot_share": share(on_the_spot),
        "routed_share": share(routed),
        "completion_rate": completion,
        "resolution_rate": resolution,
        "mean_satisfaction": mean,
    }


@pytest.fixture(scope="module")
def stats() -> Stats:
    return compute(hub_cases())


def test_totals(stats: Stats) -> None:
    assert stats.total.model_dump() == figures(
        6, 3, 2, 2, 1, 1, [5, 3, 1], completion=0.5, resolution=0.3333, mean=3.0, routed=5
    )


def test_by_category(stats: Stats) -> None:
    assert {k: v.model_dump() for k, v in stats.by_category.items()} == {
        "land_rural": figures(
            3, 2, 2, 1, 0, 0, [5, 1], completion=0.6667, resolution=0.6667, mean=3.0, routed=3
        ),
        "labour_wage": figures(
            1, 1, 0, 1, 0, 0, [3], completion=1.0, resolution=0.0, mean=3.0, routed=1
        ),
        "theft": figures(1, 0, 0, 0, 1, 1, completion=0.0, resolution=0.0, routed=1),
        "other": figures(1, completion=0.0, resolution=0.0),
    }


def test_by_force_counts_assignments(stats: Stats) -> None:
    assert {k: v.model_dump() for k, v in stats.by_force.items()} == {
        # a, b, d and f (f's work was done before the case was reopened)
        "justice": figures(4, 4, 4, 4, 0, 0, [5, 3, 1], completion=1.0, resolution=1.0, mean=3.0),
        "grid": figures(3, 3, 3, 3, 0, 0, [5, 1], completion=1.0, resolution=1.0, mean=3.0),
        "dept-labour": figures(1, 1, 0, 1, 0, 0, [3], completion=1.0, resolution=0.0, mean=3.0),
        # one order returned, the second accepted and overdue
        "police": figures(1, 0, 0, 0, 1, 1, completion=0.0, resolution=0.0),
    }


def test_by_area_and_period(stats: Stats) -> None:
    assert {k: (v.accepted, v.finished, v.resolved) for k, v in stats.by_area.items()} == {
        "440781105": (5, 3, 2),  # 都斛镇
        "620981100": (1, 0, 0),  # 玉门镇
    }
    # periods are Shanghai months, in order
    assert list(stats.by_period) == ["2026-03", "2026-04"]
    assert stats.by_period["2026-03"].model_dump() == figures(
        5, 3, 2, 2, 0, 0, [5, 3, 1], completion=0.6, resolution=0.4, mean=3.0, routed=4
    )
    assert stats.by_period["2026-04"].accepted == 1
    assert stats.by_period["2026-04"].overdue == 1


def test_by_area_at_another_level() -> None:
    stats = compute(hub_cases(), area_level="village")
    assert {k: v.accepted for k, v in stats.by_area.items()} == {
        "440781105201": 5,
        "620981100201": 1,
    }


def test_no_cases() -> None:
    stats = compute([])
    assert stats.total.model_dump() == figures(0, completion=None, resolution=None)
    assert stats.by_category == stats.by_force == stats.by_area == stats.by_period == {}


@pytest.mark.parametrize(
    ("accepted", "finished", "rate"),
    [
        (13_630, 12_593, 0.9239),  # 玉门 one-window matters (001: 92.3%)
        (814, 749, 0.9201),  # 玉门 mediation committees (001: 92%)
        (261, 255, 0.977),  # pre-litigation mediation (001: 97.7%)
        (1_846, 1_818, 0.9848),  # disputes found and resolved (001: 98.4%)
    ],
)
def test_rates_with_the_seeds_figures(accepted: int, finished: int, rate: float) -> None:
    figures = Figures(accepted=accepted, finished=finished, resolved=finished)
    assert figures.completion_rate == figures.resolution_rate == rate


# ----- the public view --------------------------------------------------------------------

LEADER_NAMES = ["李建国", "陈海燕", "黄志强", "梁振华"]
SECRETS = [
    CITIZEN_NAME,
    CITIZEN_PHONE,
    CITIZEN_ID,
    CITIZEN_ADDRESS,
    "王晓明",  # first-contact officer
    "赵丽华",  # closing officer
    "吴秀兰",  # the mediator
    *LEADER_NAMES,
    "邻居张某拒不归还",  # description
    "不属本单位职责",  # return reason
    "案情涉及合同",  # progress note
    "双方达成调解协议",  # feedback summary
    "现场未整改",  # verification note
    "纠纷已化解归档",  # closing summary
    "态度很好",  # follow-up comment
    "not_competent",  # return reason code
    "rule ",  # the assessment's explanation
]


def lived_case() -> Case:
    """A major case with a leader that went through a return, progress, a failed
    verification, a second round, closure and follow-up."""
    case = new_case(
        Category.LAND_RURAL,
        severity=Severity.MAJOR,
        title="承包地边界纠纷",
        description=f"{CITIZEN_NAME}({CITIZEN_PHONE})反映邻居张某拒不归还承包地",
    )
    assert case.leader is not None
    assess_and_dispatch(case, now=T0 + HOUR)
    loop.returned(case, return_event(case, "case-1-2", T0 + 2 * HOUR), event_id="e1", agency="grid")
    assess_and_dispatch(case, now=T0 + 3 * HOUR, officer=CHIEF)
    justice = by_agency(case, "justice")
    loop.accepted(
        case,
        accept_event(case, justice.id, T0 + 4 * HOUR, handler="调解员 吴秀兰"),
        event_id="e2",
        agency="justice",
    )
    loop.progressed(
        case,
        progress_event(case, justice.id, T0 + 5 * HOUR, note="案情涉及合同"),
        event_id="e3",
        agency="justice",
    )
    loop.feedback(
        case, feedback_event(case, justice.id, T0 + 6 * HOUR), event_id="e4", agency="justice"
    )
    work_all(case, at=T0 + 7 * HOUR)
    loop.verify(case, officer=CHIEF, now=T0 + 8 * HOUR, passed=False, note="现场未整改")
    assess_and_dispatch(case, now=T0 + 9 * HOUR)
    work_all(case, at=T0 + 10 * HOUR)
    loop.verify(case, officer=CHIEF, now=T0 + 11 * HOUR, passed=True, note="核实")
    loop.close(case, officer=CHIEF, now=T0 + 12 * HOUR, summary="纠纷已化解归档")
    loop.follow_up(
        case, officer=OFFICER, now=T0 + DAY, satisfaction=5, comment="态度很好", policy=POLICY
    )
    return case


def test_the_public_view_shows_stage_and_steps() -> None:
    case = lived_case()
    view = public_view(case)
    assert view.tracking_code == "FQ-case-1"
    assert view.stage.model_dump() == {"code": "followed_up", "zh": "已回访", "en": "followed up"}
    assert view.category.model_dump() == {
        "code": "land_rural",
        "zh": "涉农涉土",
        "en": "land and rural contracting",
    }
    assert (view.registered_at, view.due_at, view.outcome) == (T0, case.due_at, "resolved")
    assert [s.step.code for s in view.steps] == [e.step.value for e in case.timeline]
    assert [s.at for s in view.steps] == [e.at for e in case.timeline]
    assert view.steps[0].step.model_dump() == {
        "code": "registered",
        "zh": "登记受理",
        "en": "registered",
    }
    labels = {s.step.code: s.step.zh for s in view.steps}
    assert labels["leader_assigned"] == "领导包案"
    assert labels["returned"] == "退回"
    assert labels["verification_failed"] == "核查未通过"
    assert labels["closed"] == "结案归档"
    assert labels["followed_up"] == "回访"


def test_the_public_view_of_an_open_case() -> None:
    case = new_case(Category.NEIGHBOUR)
    view = public_view(case)
    assert view.stage.model_dump() == {"code": "registered", "zh": "已受理", "en": "registered"}
    assert view.outcome is None
    assert [s.step.code for s in view.steps] == [Step.REGISTERED.value]


def test_the_public_view_of_a_reopened_case_has_no_outcome() -> None:
    case = closed_case(Category.LAND_RURAL)
    follow_up(case, 1, T0 + 3 * DAY)
    view = public_view(case)
    assert view.stage.code == "reassessment"
    assert view.stage.zh == "待重新研判"
    assert view.outcome is None
    assert view.due_at == case.due_at


def test_the_public_view_carries_no_names_no_party_data_and_no_reasons() -> None:
    case = lived_case()
    internal = case.model_dump_json()
    for secret in SECRETS:
        if secret not in LEADER_NAMES:
            assert secret in internal, f"the test case should hold {secret!r} internally"
    assert case.leader is not None and case.leader in internal

    view = public_view(case)
    for text in (
        view.model_dump_json(),
        json.dumps(view.model_dump(mode="json"), ensure_ascii=False),
    ):
        for secret in [*SECRETS, case.leader]:
            assert secret not in text, f"{secret!r} leaked into the public view"
    assert set(view.model_dump()) == {
        "tracking_code",
        "stage",
        "category",
        "registered_at",
        "due_at",
        "outcome",
        "steps",
    }
    assert all(set(s.model_dump()) == {"at", "step"} for s in view.steps)
