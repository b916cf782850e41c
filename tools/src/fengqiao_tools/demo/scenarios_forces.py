"""Matters one or two forces settle: crabs stolen (police), a wage dispute (labour department
and justice office), a civil debt that fails pre-litigation mediation (court)."""

from __future__ import annotations

import asyncio

from fengqiao_tools.demo.client import agency_of
from fengqiao_tools.demo.hub import DUHU, assignment, end_state
from fengqiao_tools.demo.result import Result
from fengqiao_tools.demo.stage import Stage


async def crabs_stolen(stage: Stage, result: Result) -> None:
    """青蟹被盗 → 派出所调查 → 反馈 → 结案."""
    case_id = await stage.hub.register(
        result,
        {
            "channel": "walk_in",
            "category": "theft",
            "title": "养殖户青蟹被盗",
            "description": "大纲村三户养殖户反映夜间蟹塘青蟹被盗, 损失约两万元。",
            "location": {
                **DUHU,
                "village": "440781105203",
                "lon": 112.985,
                "lat": 21.955,
                "address": "大纲村海边蟹塘",
            },
            "parties": [{"name": "邝阿海", "role": "applicant", "phone": "13800138001"}],
        },
    )
    police = agency_of("police")
    case = await stage.hub.route(case_id)
    order = assignment(case, police, "investigate")
    result.went(police)
    url = await stage.forces.police_investigation(
        order["id"],
        "现场勘查蟹塘围网破口, 固定证据",
        "查获盗窃嫌疑人二名, 追回青蟹约一百五十斤, 已依法处理",
    )
    result.urls["police incident"] = url
    await stage.hub.all_fed_back(case_id)
    result.went("intake")
    closed = await stage.hub.close(case_id, "派出所查处盗窃, 追回部分损失")
    result.end_state = end_state(closed)


async def wage_dispute(stage: Stage, result: Result) -> None:
    """劳动工资 → 人社部门办理 + 司法所(劳动人事调委会)调解 → 化解."""
    case_id = await stage.hub.register(
        result,
        {
            "channel": "hotline_12345",
            "category": "labour_wage",
            "title": "工地拖欠农民工工资",
            "description": "十二名工人反映都斛墟某工地拖欠三个月工资共计十八万元。",
            "location": {
                **DUHU,
                "village": "440781105001",
                "lon": 112.93,
                "lat": 21.925,
                "address": "都斛墟新区工地",
            },
            "parties": [
                {"name": "陈志强", "role": "applicant", "phone": "13800138002"},
                {"name": "某建筑劳务公司", "role": "respondent"},
            ],
        },
    )
    justice = agency_of("justice")
    case = await stage.hub.route(case_id)
    assignment(case, "dept-labour")  # its answer comes over the gateway's HTTP edge
    mediation = assignment(case, justice, "mediate")
    result.went("dept-labour", justice)
    desk = stage.departments["dept-labour"]

    async def department() -> None:
        await desk.answer(
            await desk.order_for(case_id),
            handler="劳动保障监察大队",
            progress="已约谈用人单位负责人, 责令限期支付",
            summary="用人单位已足额支付拖欠工资十八万元, 工人确认收到",
        )

    agreement = {
        "facts": "用人单位拖欠十二名工人三个月工资。",
        "terms": ["某建筑劳务公司于十日内支付全部拖欠工资", "工人不再就此事另行主张"],
        "performance_manner": "银行转账至工人本人账户",
    }
    _, url = (
        await asyncio.gather(
            department(),
            stage.forces.justice_mediation(
                mediation["id"], ["陈志强", "劳务公司代表"], agreement, confirm=False
            ),
        )
    )[1]
    result.urls["justice mediation"] = url
    await stage.hub.all_fed_back(case_id)
    result.went("intake")
    closed = await stage.hub.close(case_id, "人社部门督促支付, 司法所调解达成协议, 欠薪已清偿")
    result.end_state = end_state(closed)


async def civil_debt(stage: Stage, result: Result) -> None:
    """民间借贷 → 法院诉前调解 → 调解不成 → 立案 → 综治中心知悉."""
    case_id = await stage.hub.register(
        result,
        {
            "channel": "walk_in",
            "category": "civil_debt",
            "title": "民间借贷纠纷: 借款三万元未还",
            "description": "黄某借李某三万元, 约定一年归还, 逾期未还。",
            "location": {
                **DUHU,
                "village": "440781105204",
                "lon": 112.87,
                "lat": 21.925,
                "address": "南村",
            },
            "parties": [
                {"name": "李四海", "role": "applicant", "phone": "13800138003"},
                {"name": "黄五", "role": "respondent"},
            ],
        },
    )
    court = agency_of("court")
    case = await stage.hub.route(case_id)
    order = assignment(case, court, "pre_litigation_mediation")
    result.went(court)
    number, url = await stage.forces.court_failed_mediation(
        order["id"], "被告无力一次还清, 原告不同意分期"
    )
    result.urls["court mediation"] = url
    result.notes.append(f"立案 {number}")
    informed = await stage.hub.all_fed_back(case_id)
    result.went("intake")
    feedback = assignment(informed, court)["feedback"]
    result.notes.append(f"hub informed: {feedback['outcome']}")
    closed = await stage.hub.close(case_id, f"诉前调解不成, 法院已立案 {number}")
    result.end_state = end_state(closed)
