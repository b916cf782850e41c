"""The six forces' staff at work on the hub's orders, each through its own service's API:
grid workers (网格员), the police desk (派出所), the justice office's mediators (司法所) and the
court's clerks and judges (人民法庭)."""

from __future__ import annotations

from typing import Any

import httpx

from fengqiao_tools.demo.client import (
    DemoError,
    agency_of,
    call,
    found,
    matter_id,
    service_url,
    staff,
    until,
)

HUB = "intake"


class Forces:
    """Every force's desk; waits are bounded by ``timeout_s``."""

    def __init__(self, http: httpx.AsyncClient, timeout_s: float) -> None:
        self.http, self.timeout_s = http, timeout_s
        self.hub = agency_of(HUB)

    async def _arrived(self, service: str, path: str, auth: dict[str, str]) -> Any:
        url = f"{service_url(service)}{path}"
        return await until(
            lambda: found(self.http, url, auth), f"{path} at {service}", timeout_s=self.timeout_s
        )

    async def _steps(self, url: str, steps: list[tuple[str, Any, dict[str, str]]]) -> Any:
        answer = None
        for step, body, auth in steps:
            answer = await call(self.http, "POST", f"{url}/{step}", headers=auth, json=body)
        return answer

    # --- 网格 ---
    async def grid_task(self, assignment_id: str, summary: str) -> Any:
        """The grid worker holding the task signs for it and reports back (签收 → 反馈)."""
        look = staff("grid", "analyst", name="网格中心 值班")
        task = await self._arrived("grid", f"/api/v1/tasks/{assignment_id}", look)
        worker = staff("grid", "grid_worker", name="网格员", subject=task["assignee"])
        url = f"{service_url('grid')}/api/v1/tasks/{assignment_id}"
        return await self._steps(
            url,
            [
                ("acceptance", None, worker),
                ("progress", {"note": "已入户走访, 核实情况"}, worker),
                ("feedback", {"outcome": "resolved", "summary": summary}, worker),
            ],
        )

    # --- 派出所 ---
    async def police_investigation(self, assignment_id: str, found_: str, summary: str) -> str:
        """签收 → 派警 → 到场 → 处置 → 调查 → 办结: the incident's URL."""
        desk = staff("police", "dispatcher", name="值班民警 梁")
        incident = matter_id(self.hub, assignment_id)
        await self._arrived("police", f"/api/v1/incidents/{incident}", desk)
        url = f"{service_url('police')}/api/v1/incidents/{incident}"
        await self._steps(
            url,
            [
                ("acceptance", {}, desk),
                ("dispatch", {}, desk),
                ("arrival", None, desk),
                ("disposal", {"summary": found_, "grid_follow_up": False}, desk),
                ("investigation", {"note": "调取沿海视频, 走访收购点"}, desk),
                ("closure", {"outcome": "resolved", "summary": summary}, desk),
            ],
        )
        return url

    # --- 司法所 ---
    async def justice_mediation(
        self, assignment_id: str, attendees: list[str], agreement: dict[str, Any], *, confirm: bool
    ) -> tuple[str, str]:
        """受理 → 调解 → 协议 (→ 申请司法确认): the mediation's id and URL."""
        clerk = staff("justice", "justice_staff", name="司法所 陈")
        mediation = matter_id(self.hub, assignment_id)
        await self._arrived("justice", f"/api/v1/mediations/{mediation}", clerk)
        url = f"{service_url('justice')}/api/v1/mediations/{mediation}"
        accepted = await call(self.http, "POST", f"{url}/acceptance", headers=clerk, json={})
        mediator = staff(
            "justice", "mediator", name="调解员", subject=accepted["choice"]["mediator_id"]
        )
        session = {
            "place": "村委会调解室",
            "attendees": attendees,
            "notes": "听取双方意见, 释法说理",
        }
        await self._steps(
            url,
            [
                ("sessions", session, mediator),
                ("agreement", {**agreement, "ask_confirmation": confirm}, mediator),
            ],
        )
        return mediation, url

    # --- 人民法庭 ---
    async def court_confirmation(self, mediation_id: str) -> tuple[str, str]:
        """受理 → 审查 → 确认 a people's-mediation agreement: the ruling number and URL."""
        judge = staff("court", "judge", name="法官 谭")
        request = matter_id(agency_of("justice"), f"{mediation_id}-confirm")
        await self._arrived("court", f"/api/v1/confirmations/{request}", judge)
        url = f"{service_url('court')}/api/v1/confirmations/{request}"
        review = {"note": "协议系双方自愿达成, 内容不违反法律"}
        ruled = await self._steps(
            url,
            [
                ("acceptance", None, judge),
                ("reviews", review, judge),
                ("confirmation", None, judge),
            ],
        )
        return str(ruled["ruling_number"]), url

    async def court_failed_mediation(self, assignment_id: str, reason: str) -> tuple[str, str]:
        """诉前调解 → 调解不成 → 立案: the case number and URL."""
        clerk = staff("court", "court_clerk", name="立案庭 陈")
        judge = staff("court", "judge", name="法官 谭")
        mediation = matter_id(self.hub, assignment_id)
        await self._arrived("court", f"/api/v1/mediations/{mediation}", clerk)
        url = f"{service_url('court')}/api/v1/mediations/{mediation}"
        filed = await self._steps(
            url,
            [
                ("acceptance", {}, clerk),
                ("sessions", {"note": "组织双方调解, 被告承认借款"}, judge),
                ("failure", {"reason": reason}, judge),
                ("filing", {}, clerk),
            ],
        )
        number = filed.get("case_number") if isinstance(filed, dict) else None
        if not number:
            raise DemoError(f"the court filed mediation {mediation} without a case number")
        return str(number), url
