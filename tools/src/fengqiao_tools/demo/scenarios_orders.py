"""Orders to the "N" (发令执行) and the provincial platform: a four-village rice-insurance group
petition, illegal oyster rafts at sea, and one incident reported twice through 粤平安."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from fengqiao_tools.demo.client import agency_of, call, found, service_url, sim_url, staff, until
from fengqiao_tools.demo.hub import DUHU, assignment, end_state, forces
from fengqiao_tools.demo.result import Result
from fengqiao_tools.demo.stage import Stage

VILLAGES = ("莲湖村", "莲塘村", "大纲村", "南村")


async def rice_insurance(stage: Stage, result: Result) -> None:
    """四村水稻保险理赔集体访 → 重大, 领导包案, 网格逐户走访, 农业农村部门 → 结案 → 回访."""
    case_id = await stage.hub.register(
        result,
        {
            "channel": "walk_in",
            "category": "crop_insurance",
            "severity": "major",
            "flags": ["group_petition"],
            "title": "四村水稻保险理赔集体访",
            "description": "莲湖、莲塘、大纲、南村四村农户三十余人到镇反映晚稻受灾后保险理赔款"
            "迟迟未到位、定损标准不一。",
            "location": {
                **DUHU,
                "village": "440781105202",
                "lon": 112.93,
                "lat": 21.96,
                "address": "莲塘村委会",
            },
            "parties": [
                {"name": f"{village}农户代表", "role": "applicant"} for village in VILLAGES
            ],
        },
    )
    case = await stage.hub.route(case_id)
    if case.get("leader"):
        result.notes.append(f"包案领导 {case['leader']}")
    visit = assignment(case, agency_of("grid"), "visit")
    assignment(case, "dept-agriculture", "handle")
    result.went(*forces(case))
    desk = stage.departments["dept-agriculture"]

    async def department() -> None:
        await desk.answer(
            await desk.order_for(case_id),
            handler="农业农村局 种植业股",
            progress="会同保险公司重新查勘定损",
            summary="统一定损标准, 四村一百二十六户理赔款已全部发放到户",
        )

    await asyncio.gather(
        department(),
        stage.forces.grid_task(visit["id"], "四村逐户走访一百二十六户, 登记受灾面积和诉求"),
    )
    await stage.hub.all_fed_back(case_id)
    result.went("intake")
    done = await stage.hub.close(case_id, "理赔款全部到位, 群众息访", satisfaction=5)
    result.end_state = end_state(done)


async def oyster_rafts(stage: Stage, result: Result) -> None:
    """海上非法蚝排 → 发令 农业农村, 综合执法, 海警 → 各自反馈 → 结案."""
    case_id = await stage.hub.register(
        result,
        {
            "channel": "grid",
            "category": "illegal_aquaculture",
            "title": "海域非法设置蚝排",
            "description": "都斛镇南部海域新增约四十组无证蚝排, 影响航道和海域使用。",
            # At sea: in the town's waters, in no grid.
            "location": {**DUHU, "lon": 112.93, "lat": 21.86, "address": "都斛镇南部海域"},
        },
    )
    case = await stage.hub.route(case_id)
    result.went(*forces(case))
    replies = {
        "dept-agriculture": (
            "渔政执法中队",
            "核查养殖证照",
            "认定四十组蚝排无养殖证, 已下达清理通知",
        ),
        "dept-enforcement": ("综合行政执法队", "联合行动方案已制定", "组织拆除无证蚝排四十组"),
        "dept-marine-police": (
            "海警工作站",
            "海上巡查布控",
            "海上联合执法, 现场监督拆除, 无人员伤亡",
        ),
    }

    async def answered(agency: str) -> None:
        assignment(case, agency, "handle")
        desk = stage.departments[agency]
        handler, progress, summary = replies[agency]
        await desk.answer(
            await desk.order_for(case_id), handler=handler, progress=progress, summary=summary
        )

    await asyncio.gather(*(answered(agency) for agency in replies))
    await stage.hub.all_fed_back(case_id)
    result.went("intake")
    closed = await stage.hub.close(case_id, "三部门发令执行, 非法蚝排全部清理")
    result.end_state = end_state(closed)


async def platform_repeat(stage: Stage, result: Result) -> None:
    """粤平安 两次上报同一事件 → 一个案件, 重复件关联."""
    given = {
        "category_code": "MS-0402",
        "area_code": "440781105204",
        "title": "邻居加建围墙占道",
        "description": "南村村民反映邻居加建围墙占用公共巷道, 多次协商未果。",
        # A phone of its own each run: a second demo within 48 h would otherwise be judged a
        # repeat of the first demo's report, and never make a case of its own.
        "reporter": {"name": "谭永康", "phone": f"139{secrets.randbelow(10**8):08d}"},
        "location": {"lon": 112.86, "lat": 21.92, "address": "南村后巷"},
    }
    sim = sim_url()
    operator = staff("platform", "sync_operator", name="平台对接 值班")
    records = f"{service_url('platform')}/api/v1/records"
    original = await call(stage.http, "POST", f"{sim}/sim/reports", json=given)
    result.went("platform")
    first = await record_when(stage, f"{records}/{original['event_id']}", operator, "registered")
    repeat = await call(stage.http, "POST", f"{sim}/sim/reports/{original['event_id']}/repeat")
    second = await record_when(stage, f"{records}/{repeat['event_id']}", operator, "duplicate")
    result.urls["platform record"] = f"{records}/{original['event_id']}"
    result.urls["platform repeat"] = f"{records}/{repeat['event_id']}"
    case = await stage.hub.case(first["case_id"])
    result.case_id, result.tracking_code = case["id"], case["tracking_code"]
    result.went("intake")
    result.urls["hub case"] = stage.hub.cases(case["id"])
    result.urls["citizen"] = f"{service_url('gateway')}/track/{case['tracking_code']}"
    result.notes.append(f"{repeat['event_id']} duplicate of {second['duplicate_of']}")
    linked = second["duplicate_of"] == original["event_id"] and second.get("case_id") in (
        None,
        case["id"],
    )
    result.end_state = "one case, linked" if linked else f"not linked: {second}"


async def record_when(stage: Stage, url: str, auth: dict[str, str], state: str) -> Any:
    """The adapter's sync record of an upstream event once it is in ``state``."""

    async def probe() -> Any:
        record = await found(stage.http, url, auth)
        if record is None or record["state"] != state:
            return None
        return record if state != "registered" or record.get("case_id") else None

    return await until(probe, f"the platform record {url} to be {state}", timeout_s=stage.timeout_s)
