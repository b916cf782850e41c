"""Disputes settled by people's mediation given court force (诉调对接): a 13-year collective-
income petition packaged to a leader, and a rural land-contract dispute."""

from __future__ import annotations

import asyncio
from typing import Any

from fengqiao_tools.demo.client import agency_of
from fengqiao_tools.demo.hub import DUHU, assignment, end_state
from fengqiao_tools.demo.result import Result
from fengqiao_tools.demo.stage import Stage


async def collective_income(stage: Stage, result: Result) -> None:
    """集体收益分配十三年信访 → 领导包案, 司法所调解 + 网格核实 → 法院司法确认 → 结案."""
    case_id = await stage.hub.register(
        result,
        {
            "channel": "letter",
            "category": "collective_income",
            "severity": "major",
            "flags": ["repeat"],
            "title": "莲湖村集体收益分配十三年信访",
            "description": "莲湖村部分村民自2013年起反映外嫁女及其子女未获集体土地征收补偿分配, "
            "多年反复信访。",
            "location": {
                **DUHU,
                "village": "440781105201",
                "lon": 112.85,
                "lat": 21.955,
                "address": "莲湖村委会",
            },
            "parties": [
                {"name": "伍美华", "role": "applicant", "phone": "13800138004"},
                {"name": "莲湖村经济合作社", "role": "respondent"},
            ],
        },
    )
    agreement = {
        "facts": "莲湖村经济合作社2013年起未向外嫁女及其子女分配集体土地征收补偿款。",
        "terms": ["经济合作社按现行分配方案补发2013年以来应得份额", "村民撤回信访事项"],
        "performance_manner": "村民代表会议表决后三十日内转账支付",
    }
    await mediated_and_confirmed(
        stage, result, case_id, "joint", ["伍美华", "合作社社长"], agreement
    )
    closed = await stage.hub.close(case_id, "领导包案, 调解协议经司法确认, 信访积案化解")
    result.end_state = end_state(closed)


async def land_contract(stage: Stage, result: Result) -> None:
    """农村土地承包纠纷 → 农村土地承包调委会 → 协议 → 司法确认 → 结案."""
    case_id = await stage.hub.register(
        result,
        {
            "channel": "walk_in",
            "category": "land_rural",
            "title": "承包地边界纠纷",
            "description": "两户因承包地田埂位置争执, 一方占用约三分地。",
            "location": {
                **DUHU,
                "village": "440781105202",
                "lon": 112.91,
                "lat": 21.95,
                "address": "莲塘村东洋田",
            },
            "parties": [
                {"name": "黄阿明", "role": "applicant", "id_number": "440781198001011233"},
                {"name": "伍阿强", "role": "respondent"},
            ],
        },
    )
    agreement = {
        "facts": "双方承包地相邻, 田埂位置有争议。",
        "terms": ["以2015年确权图为准重新立界", "伍阿强于次月底前恢复田埂原状"],
        "performance_manner": "双方现场交接, 村委会见证",
    }
    await mediated_and_confirmed(
        stage, result, case_id, "rural_land", ["黄阿明", "伍阿强"], agreement
    )
    closed = await stage.hub.close(case_id, "土地承包纠纷经调解并司法确认")
    result.end_state = end_state(closed)


async def mediated_and_confirmed(
    stage: Stage,
    result: Result,
    case_id: str,
    unit: str,
    attendees: list[str],
    agreement: dict[str, Any],
) -> None:
    """The hub routes by its rule table; the grid verifies while the justice office mediates
    and the court confirms the agreement; the hub has every answer back."""
    justice, grid = agency_of("justice"), agency_of("grid")
    case = await stage.hub.route(case_id)
    if case.get("leader"):
        result.notes.append(f"包案领导 {case['leader']}")
    order = assignment(case, justice, "mediate")
    if order.get("unit") != unit:
        result.notes.append(f"unit {order.get('unit')} (expected {unit})")
    check = assignment(case, grid, "verify")
    result.went(grid, justice)

    async def mediated() -> str:
        mediation, url = await stage.forces.justice_mediation(
            order["id"], attendees, agreement, confirm=True
        )
        result.urls["justice mediation"] = url
        result.urls["agreement (DOCX)"] = f"{url}/agreement.docx"
        ruling, confirmation = await stage.forces.court_confirmation(mediation)
        result.went(agency_of("court"), justice)
        result.urls["court confirmation"] = confirmation
        result.notes.append(f"司法确认 {ruling}")
        return ruling

    await asyncio.gather(
        stage.forces.grid_task(check["id"], "经入户核实, 当事人反映情况属实"), mediated()
    )
    await stage.hub.all_fed_back(case_id)
    result.went("intake")
