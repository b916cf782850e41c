"""研判: each rule of the default policy with a matter from the seeds, overrides, leaders,
deadlines, and what parse_policy refuses."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from builders import (
    DUHU,
    ELSEWHERE,
    OFFICER,
    T0,
    new_case,
    party,
)
from fengqiao.contracts.codes import Action, Category, Flag, Level, Severity
from fengqiao.contracts.events import CaseTransferred, Location
from intake.domain import loop
from intake.domain.case import Case
from intake.domain.policy import Policy, TaskSpec, Within, default_policy, parse_policy
from intake.domain.timeline import Step

POLICY = default_policy()
AT = T0 + timedelta(minutes=30)
TOWN_LEADERS = {"镇党委副书记 李建国", "镇政法委员 陈海燕"}
COUNTY_LEADER = "县委政法委副书记 黄志强"

Task = tuple[str, str, bool, str | None, dict[str, int | str] | None]

PEOPLE_MEDIATION = [
    Category.MARRIAGE_FAMILY,
    Category.NEIGHBOUR,
    Category.PROPERTY_MANAGEMENT,
    Category.ROAD_TRAFFIC,
    Category.DOCTOR_PATIENT,
    Category.WATER,
    Category.FINANCE_INSURANCE,
    Category.HOUSING_CONSTRUCTION,
    Category.MEDICAL,
    Category.EDUCATION,
]

Matter = tuple[str, Category, set[Flag], str, list[Task], bool]
PEOPLE_MEDIATION_MATTERS: list[Matter] = [
    (
        f"{c.zh} (001, 004 专业调委会)",
        c,
        set(),
        "people-mediation",
        [
            ("justice", "mediate", True, None, None),
            ("grid", "verify", False, None, {"days": 3}),
        ],
        False,
    )
    for c in PEOPLE_MEDIATION
]

# (seed matter, category, flags, rule id, tasks: agency, action, lead, unit, within, leader)
SEED_MATTERS: list[Matter] = [
    (
        "蟹农反映青蟹被盗 (000)",
        Category.THEFT,
        set(),
        "theft-public-order",
        [("police", "investigate", True, None, None)],
        False,
    ),
    (
        "夜间聚众滋事 (治安)",
        Category.PUBLIC_ORDER,
        set(),
        "theft-public-order",
        [("police", "investigate", True, None, None)],
        False,
    ),
    (
        "农田发包、土地承包合同纠纷 (000, 001)",
        Category.LAND_RURAL,
        set(),
        "land-rural",
        [
            ("justice", "mediate", True, "rural_land", None),
            ("grid", "verify", False, None, {"days": 3}),
        ],
        False,
    ),
    (
        "民间借贷纠纷, 权利义务明确 (001 诉前调解)",
        Category.CIVIL_DEBT,
        set(),
        "civil-pre-litigation",
        [("court", "pre_litigation_mediation", True, None, None)],
        False,
    ),
    (
        "工地拖欠农民工工资 (001 劳动人事纠纷调委会)",
        Category.LABOUR_WAGE,
        set(),
        "labour",
        [
            ("dept-labour", "handle", True, None, None),
            ("justice", "mediate", False, "labour", None),
        ],
        False,
    ),
    (
        "4个行政村村民反映水稻保险赔偿不合理 (000)",
        Category.CROP_INSURANCE,
        set(),
        "crop-insurance",
        [
            ("dept-agriculture", "handle", True, None, None),
            ("grid", "visit", False, None, {"days": 5}),
        ],
        False,
    ),
    (
        "违法养殖用海蚝排清拆纠纷 (000 发令农业、执法、海警)",
        Category.ILLEGAL_AQUACULTURE,
        set(),
        "illegal-aquaculture",
        [
            ("dept-agriculture", "handle", True, None, None),
            ("dept-enforcement", "handle", False, None, None),
            ("dept-marine-police", "handle", False, None, None),
        ],
        False,
    ),
    (
        "长达13年的集体利益分配信访积案 (000)",
        Category.COLLECTIVE_INCOME,
        set(),
        "collective-income",
        [
            ("justice", "mediate", True, "joint", None),
            ("grid", "verify", False, None, {"days": 3}),
        ],
        True,
    ),
    (
        "基层行政执法不规范 (004 行政执法监督)",
        Category.ADMINISTRATIVE_ENFORCEMENT,
        set(),
        "administrative-enforcement",
        [("procuratorate", "supervise", True, None, None)],
        False,
    ),
    (
        "河道排污 (004 生态环境和资源保护)",
        Category.ENVIRONMENT,
        set(),
        "environment",
        [
            ("dept-environment", "handle", True, None, None),
            ("procuratorate", "supervise", False, None, None),
        ],
        False,
    ),
    (
        "校园周边销售过期食品 (004 食品药品安全)",
        Category.FOOD_DRUG,
        set(),
        "food-drug",
        [
            ("dept-market", "handle", True, None, None),
            ("procuratorate", "supervise", False, None, None),
        ],
        False,
    ),
    (
        "加工厂消防通道堵塞 (004 安全生产)",
        Category.WORK_SAFETY,
        set(),
        "work-safety",
        [
            ("dept-emergency", "handle", True, None, None),
            ("procuratorate", "supervise", False, None, None),
        ],
        False,
    ),
    (
        "村民集体到镇反映诉求 (001 集体访)",
        Category.OTHER,
        {Flag.GROUP_PETITION},
        "group-petition",
        [
            ("justice", "mediate", True, "joint", None),
            ("grid", "visit", False, None, {"days": 3}),
            ("police", "handle", False, None, None),
        ],
        True,
    ),
    (
        "邻里纠纷演变为集体访",
        Category.NEIGHBOUR,
        {Flag.GROUP_PETITION},
        "group-petition",
        [
            ("justice", "mediate", True, "joint", None),
            ("grid", "visit", False, None, {"days": 3}),
            ("police", "handle", False, None, None),
        ],
        True,
    ),
    (
        "个体来信来访 (001 信访)",
        Category.PETITION,
        set(),
        "petition",
        [
            ("justice", "mediate", True, "joint", None),
            ("grid", "visit", False, None, {"days": 3}),
        ],
        True,
    ),
    (
        "路灯损坏 (微事不出格)",
        Category.OTHER,
        set(),
        "default",
        [("grid", "handle", True, None, None)],
        False,
    ),
    (
        "弱势群体的其他诉求",
        Category.OTHER,
        {Flag.VULNERABLE, Flag.SENSITIVE},
        "default",
        [("grid", "handle", True, None, None)],
        False,
    ),
    *PEOPLE_MEDIATION_MATTERS,
]


def tasks_of(case: Case) -> list[Task]:
    assert case.assessment is not None
    return [
        (
            t.agency,
            t.action,
            t.lead,
            t.unit,
            t.within.model_dump(exclude_defaults=True) if t.within else None,
        )
        for t in case.assessment.tasks
    ]


@pytest.mark.parametrize(
    ("title", "category", "flags", "rule_id", "tasks", "leader"),
    SEED_MATTERS,
    ids=[f"{m[3]}:{m[1].value}" for m in SEED_MATTERS],
)
def test_each_rule_with_a_matter_from_the_seeds(
    title: str,
    category: Category,
    flags: set[Flag],
    rule_id: str,
    tasks: list[Task],
    leader: bool,
) -> None:
    case = new_case(category, flags=flags, title=title)
    loop.assess(case, policy=POLICY, officer=OFFICER, now=AT)

    assessment = case.assessment
    assert assessment is not None
    assert assessment.rule_id == rule_id
    assert tasks_of(case) == tasks
    assert assessment.leader_needed is leader
    assert assessment.override_reason is None
    assert (assessment.by, assessment.at, assessment.policy_version) == ("王晓明", AT, "2026.1")
    rule = POLICY.rule(rule_id)
    assert rule is not None
    assert assessment.explanation == f"rule {rule_id} (policy 2026.1): {rule.description}"
    entry = next(e for e in case.timeline if e.step is Step.ASSESSED)
    assert (entry.actor, entry.reason, entry.at) == ("王晓明", assessment.explanation, AT)
    if leader:
        assert case.leader in TOWN_LEADERS  # general cases sit at village level: nearest roster
        assert Step.LEADER_ASSIGNED in [e.step for e in case.timeline]
    else:
        assert case.leader is None
        assert Step.LEADER_ASSIGNED not in [e.step for e in case.timeline]

    # the dispatch follows the plan exactly
    notices = loop.dispatch(case, policy=POLICY, officer=OFFICER, now=AT, parties=[party()])
    orders = [n.data for n in notices]
    assert [n.recipient for n in notices] == [t[0] for t in tasks]
    assert [(o.action.value, o.lead, o.unit) for o in orders if isinstance(o, CaseTransferred)] == [
        (t[1], t[2], t[3]) for t in tasks
    ]
    for (agency, _, _, _, within), a in zip(tasks, case.assignments, strict=True):
        assert a.agency == agency
        if within is None:
            assert a.due_at == case.due_at
        else:
            assert a.due_at == min(AT + timedelta(days=int(within["days"])), case.due_at)


def test_every_category_is_covered_by_some_rule() -> None:
    for category in Category:
        assert POLICY.rule_for(category, Severity.GENERAL, set(), DUHU) is not None


def test_the_first_matching_rule_wins() -> None:
    # a group petition about land still goes to rural-land mediation (land-rural comes first),
    # but the group-petition flag still gets it a responsible leader at registration
    case = new_case(Category.LAND_RURAL, flags={Flag.GROUP_PETITION}, title="多户村民集体反映发包")
    assert case.leader in TOWN_LEADERS
    loop.assess(case, policy=POLICY, officer=OFFICER, now=AT)
    assert case.assessment is not None and case.assessment.rule_id == "land-rural"
    assert case.assessment.leader_needed is False


def test_rule_ids_are_unique_and_default_is_last() -> None:
    ids = [r.id for r in POLICY.rules]
    assert len(ids) == len(set(ids))
    assert ids[-1] == "default"
    assert POLICY.rules[-1].when.model_dump(exclude_defaults=True) == {}


def test_the_default_policy_is_loaded_once() -> None:
    assert default_policy() is POLICY
    assert POLICY.version == "2026.1"
    assert POLICY.escalation_recipients == ["platform"]


# ----- overrides --------------------------------------------------------------------------


def test_an_override_records_the_reason_and_no_rule() -> None:
    case = new_case(Category.CIVIL_DEBT, title="亲戚间借款纠纷")
    override = loop.Override(
        tasks=[
            TaskSpec(agency="justice", action=Action.MEDIATE, unit="joint"),
            TaskSpec(agency="grid", action=Action.VISIT, within=Within(days=2)),
        ],
        reason="亲属间纠纷, 先由司法所调解",
    )
    loop.assess(case, policy=POLICY, officer=OFFICER, now=AT, override=override)
    assessment = case.assessment
    assert assessment is not None
    assert assessment.rule_id is None
    assert assessment.override_reason == "亲属间纠纷, 先由司法所调解"
    assert assessment.explanation == "officer's plan: 亲属间纠纷, 先由司法所调解"
    assert tasks_of(case) == [
        ("justice", "mediate", True, "joint", None),
        ("grid", "visit", False, None, {"days": 2}),
    ]
    assert assessment.leader_needed is False and case.leader is None
    assert [(e.step, e.actor, e.reason) for e in case.timeline[1:]] == [
        (Step.OVERRIDDEN, "王晓明", "officer's plan: 亲属间纠纷, 先由司法所调解")
    ]
    notices = loop.dispatch(case, policy=POLICY, officer=OFFICER, now=AT, parties=[])
    assert [n.recipient for n in notices] == ["justice", "grid"]
    assert case.assignments[1].due_at == AT + timedelta(days=2)


def test_an_override_can_ask_for_a_leader() -> None:
    case = new_case(Category.OTHER, title="敏感诉求")
    loop.assess(
        case,
        policy=POLICY,
        officer=OFFICER,
        now=AT,
        override=loop.Override(
            tasks=[TaskSpec(agency="grid", action=Action.HANDLE)],
            reason="敏感, 领导包案",
            leader=True,
        ),
    )
    assert case.assessment is not None and case.assessment.leader_needed is True
    assert case.leader in TOWN_LEADERS
    assert [e.step for e in case.timeline] == [
        Step.REGISTERED,
        Step.OVERRIDDEN,
        Step.LEADER_ASSIGNED,
    ]


def test_reassessment_after_an_override_can_return_to_the_rule() -> None:
    case = new_case(Category.THEFT)
    loop.assess(
        case,
        policy=POLICY,
        officer=OFFICER,
        now=AT,
        override=loop.Override(
            tasks=[TaskSpec(agency="grid", action=Action.VERIFY)], reason="先核实"
        ),
    )
    loop.assess(case, policy=POLICY, officer=OFFICER, now=AT + timedelta(minutes=5))
    assert case.assessment is not None
    assert (case.assessment.rule_id, case.assessment.override_reason) == (
        "theft-public-order",
        None,
    )
    assert tasks_of(case) == [("police", "investigate", True, None, None)]


# ----- leaders, levels and deadlines at registration --------------------------------------


@pytest.mark.parametrize(
    ("severity", "level", "leaders"),
    [
        (Severity.SIMPLE, Level.GRID, None),
        (Severity.GENERAL, Level.VILLAGE, None),
        (Severity.MAJOR, Level.TOWN, TOWN_LEADERS),
        (Severity.EXTRA_MAJOR, Level.COUNTY, {COUNTY_LEADER}),
    ],
    ids=lambda v: v.value if isinstance(v, Severity) else None,
)
def test_levels_and_leaders_at_registration(
    severity: Severity, level: Level, leaders: set[str] | None
) -> None:
    case = new_case(Category.LAND_RURAL, severity=severity)
    assert case.level is level
    if leaders is None:
        assert case.leader is None
        assert [e.step for e in case.timeline] == [Step.REGISTERED]
    else:
        assert case.leader in leaders
        assert [(e.step, e.actor, e.reason) for e in case.timeline[1:]] == [
            (Step.LEADER_ASSIGNED, "hub", case.leader)
        ]
        # assessment does not pick a second leader
        loop.assess(case, policy=POLICY, officer=OFFICER, now=AT)
        assert [e.step for e in case.timeline].count(Step.LEADER_ASSIGNED) == 1


def test_a_group_petition_gets_a_leader_at_registration() -> None:
    case = new_case(Category.OTHER, flags={Flag.GROUP_PETITION})
    assert case.leader in TOWN_LEADERS


def test_the_leader_is_chosen_stably_by_case_id() -> None:
    picks = {
        new_case(Category.OTHER, severity=Severity.MAJOR, case_id="case-77").leader
        for _ in range(3)
    }
    assert len(picks) == 1
    all_picks = {
        new_case(Category.OTHER, severity=Severity.MAJOR, case_id=f"case-{i}").leader
        for i in range(40)
    }
    assert all_picks == TOWN_LEADERS, "both town leaders get cases"


@pytest.mark.parametrize(
    ("severity", "registered", "due"),
    [
        # simple: 3 calendar days, weekends included (Fri → Mon)
        (Severity.SIMPLE, T0, T0 + timedelta(days=3)),
        (
            Severity.SIMPLE,
            datetime(2026, 3, 6, 2, 0, tzinfo=UTC),
            datetime(2026, 3, 9, 2, 0, tzinfo=UTC),
        ),
        # general: 7 working days from Mon 2 Mar → end of Wed 11 Mar, Shanghai time
        (Severity.GENERAL, T0, datetime(2026, 3, 11, 16, 0, tzinfo=UTC)),
        # major and extra-major: 21 calendar days (3 weeks, 001)
        (Severity.MAJOR, T0, T0 + timedelta(days=21)),
        (Severity.EXTRA_MAJOR, T0, T0 + timedelta(days=21)),
    ],
    ids=["simple", "simple-over-weekend", "general", "major", "extra-major"],
)
def test_default_deadlines(severity: Severity, registered: datetime, due: datetime) -> None:
    case = new_case(Category.OTHER, severity=severity, now=registered)
    assert case.registered_at == registered
    assert case.due_at == due


def test_assignments_must_be_accepted_within_24_hours() -> None:
    case = new_case(Category.THEFT, severity=Severity.SIMPLE)
    loop.assess(case, policy=POLICY, officer=OFFICER, now=AT)
    loop.dispatch(case, policy=POLICY, officer=OFFICER, now=AT, parties=[])
    assert case.assignments[0].accept_by == AT + timedelta(hours=24)


# ----- parse_policy -----------------------------------------------------------------------


def minimal() -> dict[str, Any]:
    return {
        "version": "t1",
        "deadlines": {"simple": {"days": 3}, "general": {"days": 7, "counting": "working"}},
        "accept": {"hours": 24},
        "levels": {"simple": "grid", "general": "village"},
        "rules": [
            {
                "id": "land",
                "when": {"categories": ["land_rural"]},
                "lead": {"agency": "justice", "action": "mediate", "unit": "rural_land"},
                "co": [{"agency": "grid", "action": "verify", "within": {"days": 3}}],
            },
            {"id": "default", "lead": {"agency": "grid", "action": "handle"}},
        ],
    }


def test_the_minimal_table_is_valid() -> None:
    policy = parse_policy(minimal())
    assert [r.id for r in policy.rules] == ["land", "default"]
    assert policy.leaders == {} and policy.escalation_recipients == []


def _bad_category(d: dict[str, Any]) -> None:
    d["rules"][0]["when"]["categories"] = ["land_rural", "fishing"]


def _unknown_action(d: dict[str, Any]) -> None:
    d["rules"][0]["lead"]["action"] = "arrest"


def _capital_agency(d: dict[str, Any]) -> None:
    d["rules"][0]["co"][0]["agency"] = "Grid"


def _agency_with_space(d: dict[str, Any]) -> None:
    d["rules"][1]["lead"]["agency"] = "dept labour"


def _empty_rules(d: dict[str, Any]) -> None:
    d["rules"] = []


def _unknown_field(d: dict[str, Any]) -> None:
    d["rules"][0]["priority"] = 1


def _unknown_severity(d: dict[str, Any]) -> None:
    d["deadlines"]["urgent"] = {"days": 1}


def _negative_days(d: dict[str, Any]) -> None:
    d["accept"] = {"days": -1}


def _unknown_level(d: dict[str, Any]) -> None:
    d["levels"]["simple"] = "province"


def _unknown_flag(d: dict[str, Any]) -> None:
    d["rules"][0]["when"]["flags_any"] = ["vip"]


def _rule_without_lead(d: dict[str, Any]) -> None:
    del d["rules"][1]["lead"]


@pytest.mark.parametrize(
    "spoil",
    [
        _bad_category,
        _unknown_action,
        _capital_agency,
        _agency_with_space,
        _empty_rules,
        _unknown_field,
        _unknown_severity,
        _negative_days,
        _unknown_level,
        _unknown_flag,
        _rule_without_lead,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_parse_policy_rejects_a_bad_table(spoil: Any) -> None:
    data = copy.deepcopy(minimal())
    spoil(data)
    with pytest.raises(ValidationError):
        parse_policy(data)


# ----- a custom policy with area rules ----------------------------------------------------


def area_policy() -> Policy:
    data = minimal()
    data["rules"] = [
        {
            "id": "duhu-land",
            "description": "都斛 涉农涉土 → 涉农调解室",
            "when": {"categories": ["land_rural"], "area_prefix": "440781105"},
            "lead": {"agency": "justice", "action": "mediate", "unit": "rural_land"},
            "co": [{"agency": "grid", "action": "verify", "within": {"days": 3}}],
        },
        {
            "id": "yumen-anything",
            "description": "玉门 → 社会治理中心 联合调委会",
            "when": {"area_prefix": "6209"},
            "lead": {"agency": "justice", "action": "mediate", "unit": "joint"},
        },
        {
            "id": "one-grid",
            "when": {"area_prefix": "440781105201001"},
            "lead": {"agency": "grid", "action": "visit"},
        },
        {"id": "default", "lead": {"agency": "grid", "action": "handle"}},
    ]
    return parse_policy(data)


@pytest.mark.parametrize(
    ("category", "location", "rule_id"),
    [
        (Category.LAND_RURAL, DUHU, "duhu-land"),  # town code matches
        (Category.LAND_RURAL, ELSEWHERE, "yumen-anything"),  # city code 620900 matches "6209"
        (Category.THEFT, ELSEWHERE, "yumen-anything"),
        (Category.THEFT, DUHU, "one-grid"),  # only the grid code matches the long prefix
        (Category.LAND_RURAL, Location(grid="440781105201001"), "duhu-land"),
        (Category.LAND_RURAL, Location(county="440781", town="440781106"), "default"),
        (Category.LAND_RURAL, Location(address="都斛镇, no codes"), "default"),
        (Category.THEFT, Location(village="440781105201"), "default"),
    ],
)
def test_area_prefix_rules(category: Category, location: Location, rule_id: str) -> None:
    policy = area_policy()
    case = new_case(category, location=location, policy=policy)
    loop.assess(case, policy=policy, officer=OFFICER, now=AT)
    assert case.assessment is not None
    assert case.assessment.rule_id == rule_id
    assert case.assessment.policy_version == "t1"
